// Image reference arithmetic Docker does implicitly but the agent needs explicitly: pulling "repo"
// without a tag would fetch every tag, and credentials must be chosen by registry host.
import type { PullAuth } from './runtime.js';

export const DOCKER_HUB = 'docker.io';

export interface ImageRef {
  /** registry host[:port]; docker.io when the reference names none */
  registry: string;
  /** repository as given, without tag/digest (e.g. "127.0.0.1:5000/a/b", "busybox") */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  // A colon after the last slash is a tag; before it, a registry port.
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const isHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return { registry: isHost ? first : DOCKER_HUB, repository: rest, tag, digest };
}

/** Pull arguments: repository plus tag, "latest" when neither tag nor digest is given. */
export function pullTarget(ref: string): { fromImage: string; tag: string } {
  const r = parseImageRef(ref);
  if (r.digest) return { fromImage: r.repository, tag: r.digest };
  return { fromImage: r.repository, tag: r.tag ?? 'latest' };
}

/** Normalise a registry address from a docker config key ("https://index.docker.io/v1/", "host:port"). */
export function registryHost(address: string): string {
  const host = address.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com') return DOCKER_HUB;
  return host;
}

/** The credentials whose server address matches the image's registry, if any. */
export function authFor(image: string, auths: PullAuth[] | undefined): PullAuth | undefined {
  if (!auths?.length) return undefined;
  const want = parseImageRef(image).registry;
  return auths.find((a) => registryHost(a.serveraddress) === want);
}

/**
 * Docker's X-Registry-Auth body. dockerd ignores the combined `auth` field when pulling, so a
 * dockerconfigjson entry that carries only `auth` (base64 "user:password") is split here.
 */
export function toDockerAuth(a: PullAuth): { username: string; password: string; serveraddress: string } {
  let username = a.username ?? '';
  let password = a.password ?? '';
  if (!username && a.auth) {
    const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) {
      username = decoded.slice(0, i);
      password = decoded.slice(i + 1);
    }
  }
  return { username, password, serveraddress: a.serveraddress };
}
