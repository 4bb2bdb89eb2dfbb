// Registry credentials from a pod's imagePullSecrets, matched to an image the way the kubelet's
// credential keyring does (registry host, optional path prefix, `*` per host label).
import type { KubeObject } from '../../api/types.js';
import type { ObjectLookup } from '../podworker/deps.js';
import type { PullAuth } from '../runtime/runtime.js';

const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Registry host and repository path of an image reference ("busybox" → docker.io, library/busybox). */
export function parseImageRegistry(image: string): { host: string; path: string } {
  const noDigest = image.split('@', 1)[0];
  const slash = noDigest.indexOf('/');
  const first = slash >= 0 ? noDigest.slice(0, slash) : '';
  const isHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let path = isHost ? noDigest.slice(slash + 1) : noDigest;
  // strip the tag (a ':' after the last '/')
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) path = path.slice(0, colon);
  let host = isHost ? first.toLowerCase() : DOCKER_HUB;
  if (HUB_ALIASES.has(host)) host = DOCKER_HUB;
  if (host === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return { host, path };
}

/** A keyring key ("https://index.docker.io/v1/", "reg:5000/team", "*.example.com") as host + path. */
function parseKey(key: string): { host: string; path: string } {
  const noScheme = key.replace(/^[a-z]+:\/\//i, '');
  const slash = noScheme.indexOf('/');
  let host = (slash >= 0 ? noScheme.slice(0, slash) : noScheme).toLowerCase();
  let path = slash >= 0 ? noScheme.slice(slash + 1).replace(/\/+$/, '') : '';
  if (HUB_ALIASES.has(host)) {
    host = DOCKER_HUB;
    if (path === 'v1' || path === 'v2') path = '';
  }
  return { host, path };
}

function labelMatches(pattern: string, label: string): boolean {
  if (!pattern.includes('*')) return pattern === label;
  const re = pattern.split('*').map((part) => part.replace(/[.+?^$()|[\]\\{}]/g, '\\$&')).join('[^.]*');
  return new RegExp(`^${re}$`).test(label);
}

/** host[:port] against a key host that may hold `*` inside labels; ports must be equal. */
function hostMatches(pattern: string, host: string): boolean {
  const [pHost, pPort = ''] = pattern.split(':');
  const [hHost, hPort = ''] = host.split(':');
  if (pPort !== hPort) return false;
  const pl = pHost.split('.');
  const hl = hHost.split('.');
  return pl.length === hl.length && pl.every((p, i) => labelMatches(p, hl[i]));
}

function pathMatches(prefix: string, path: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(prefix + '/');
}

interface Entry {
  username?: string;
  password?: string;
  auth?: string;
}

function secretEntries(secret: KubeObject): Record<string, Entry> {
  const data = (secret.data ?? {}) as Record<string, string>;
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson' && data['.dockerconfigjson']) {
      return JSON.parse(Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8')).auths ?? {};
    }
    if (secret.type === 'kubernetes.io/dockercfg' && data['.dockercfg']) {
      return JSON.parse(Buffer.from(data['.dockercfg'], 'base64').toString('utf8')) ?? {};
    }
  } catch {
    // a malformed secret gives no credentials, as in the kubelet
  }
  return {};
}

function toPullAuth(e: Entry, serveraddress: string): PullAuth {
  let { username, password } = e;
  if ((!username || password === undefined) && e.auth) {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) {
      username = decoded.slice(0, i);
      password = decoded.slice(i + 1);
    }
  }
  const out: PullAuth = { serveraddress };
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (e.auth) out.auth = e.auth;
  return out;
}

/** Every matching credential, most specific key first, in imagePullSecrets order; undefined if none. */
export function pullAuthFor(pod: KubeObject, image: string, lookup: ObjectLookup): PullAuth[] | undefined {
  const target = parseImageRegistry(image);
  const ns = pod.metadata.namespace ?? 'default';
  const found: { auth: PullAuth; specificity: number; order: number }[] = [];
  for (const ref of (pod.spec?.imagePullSecrets ?? []) as { name?: string }[]) {
    const secret = ref.name ? lookup.secret(ns, ref.name) : undefined;
    if (!secret) continue;
    for (const [key, entry] of Object.entries(secretEntries(secret))) {
      const k = parseKey(key);
      if (!hostMatches(k.host, target.host) || !pathMatches(k.path, target.path)) continue;
      const server = target.host === DOCKER_HUB ? 'https://index.docker.io/v1/' : target.host;
      found.push({ auth: toPullAuth(entry, server), specificity: k.host.length + k.path.length, order: found.length });
    }
  }
  if (!found.length) return undefined;
  return found.sort((a, b) => b.specificity - a.specificity || a.order - b.order).map((f) => f.auth);
}
