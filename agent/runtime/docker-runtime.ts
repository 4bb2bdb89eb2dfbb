// The Runtime on the Docker Engine API. The ONLY user of dockerode (docker-client loads it); what it hands
// to helpers (docker-specs, docker-state, tar, stream-demux, pull-progress) is plain data or streams.
import { writeFile } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import type { Logger } from '../../lib/logger.js';
import { containerBody, sandboxBody, type DockerCreateBody } from './docker-specs.js';
import { firstIp, fromInspect, fromListEntry, groupPods, needsInspect, type DockerInspect, type DockerListEntry } from './docker-state.js';
import { followEvents } from './event-stream.js';
import { authFor, pullTarget, toDockerAuth } from './image-ref.js';
import { LABEL_MANAGED, LABEL_POD_UID, MANAGED_FILTER } from './labels.js';
import { containerName } from './naming.js';
import { consumeProgress } from './pull-progress.js';
import { ensureSandboxImage, SANDBOX_IMAGE, type SandboxImageHost } from './sandbox-image.js';
import { demuxBuffer } from './stream-demux.js';
import { collectExecOutput, followLogStream, readBounded } from './stream-io.js';
import { firstTarFile } from './tar.js';
import { newDockerClient, type Docker } from './docker-client.js';
import { messageOf, socketFrom, statusOf, type DockerSocketOptions } from './docker-errors.js';
import {
  RuntimeError,
  type ContainerConfig,
  type ExecResult,
  type LogOptions,
  type PullAuth,
  type Runtime,
  type RuntimeContainer,
  type RuntimeEvent,
  type RuntimePod,
  type SandboxConfig,
} from './runtime.js';
export { messageOf, statusOf };

export interface DockerRuntimeOptions extends DockerSocketOptions {
  log: Logger;
}

const EXEC_OUTPUT_LIMIT = 10 * 1024;
const INSPECT_CONCURRENCY = 16;
/** events worth a pod sync; exec_*, attach, archive-path and the like are noise */
const LIFECYCLE_EVENTS = ['create', 'start', 'die', 'oom', 'destroy', 'stop', 'kill', 'pause', 'unpause', 'restart'];

export class DockerRuntime implements Runtime, SandboxImageHost {
  readonly socketPath: string;
  private readonly docker: Docker;
  private readonly log: Logger;
  /** inspect results of running/exited containers, valid while the listed state is unchanged */
  private readonly inspectCache = new Map<string, { state: string; c: RuntimeContainer }>();

  constructor(opts: DockerRuntimeOptions) {
    this.socketPath = socketFrom(opts);
    this.docker = newDockerClient(this.socketPath);
    this.log = opts.log;
  }

  async version(): Promise<{ name: string; version: string; apiVersion: string }> {
    const v = await this.docker.version();
    return { name: 'docker', version: v.Version, apiVersion: v.ApiVersion };
  }

  /** Docker's data root (agent GC measures the image filesystem there); not part of Runtime. */
  async dataRoot(): Promise<string> {
    return ((await this.docker.info()) as { DockerRootDir: string }).DockerRootDir;
  }

  async listPods(signal?: AbortSignal): Promise<RuntimePod[]> {
    const list = (await this.docker.listContainers({
      all: true,
      filters: { label: [MANAGED_FILTER] },
      abortSignal: signal,
    } as Docker.ContainerListOptions)) as unknown as DockerListEntry[];
    const out: RuntimeContainer[] = [];
    const seen = new Set<string>();
    const one = async (e: DockerListEntry): Promise<void> => {
      seen.add(e.Id);
      if (!needsInspect(e)) {
        const c = fromListEntry(e);
        if (c) out.push(c);
        return;
      }
      let c = this.inspectCache.get(e.Id)?.state === e.State ? this.inspectCache.get(e.Id)!.c : undefined;
      if (!c) {
        const d = await this.rawInspect(e.Id, signal);
        if (!d) return; // removed between list and inspect
        c = fromInspect(d);
        if (!c) return;
        this.inspectCache.set(e.Id, { state: e.State, c });
      }
      out.push({ ...c, ip: c.kind === 'sandbox' && c.state === 'running' ? (firstIp(e.NetworkSettings) ?? c.ip) : c.ip });
    };
    for (let i = 0; i < list.length; i += INSPECT_CONCURRENCY) {
      await Promise.all(list.slice(i, i + INSPECT_CONCURRENCY).map(one));
    }
    for (const id of this.inspectCache.keys()) if (!seen.has(id)) this.inspectCache.delete(id);
    return groupPods(out);
  }

  async imageId(image: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(image).inspect()).Id;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async pullImage(image: string, auth: PullAuth[] | undefined, signal?: AbortSignal): Promise<string> {
    const { fromImage, tag } = pullTarget(image);
    const a = authFor(image, auth);
    try {
      // auth goes as a separate argument: inside opts dockerode would also put it in the query string
      const stream = (await this.docker.createImage(a ? toDockerAuth(a) : (undefined as unknown as object), {
        fromImage,
        tag,
        abortSignal: signal,
      })) as Readable;
      const err = await consumeProgress(stream);
      if (err) throw new RuntimeError('ErrImagePull', err);
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      throw new RuntimeError('ErrImagePull', messageOf(e));
    }
    const id = await this.imageId(image);
    if (!id) throw new RuntimeError('ErrImagePull', `image ${image} not present after pull`);
    return id;
  }

  /** docker import of a rootfs tarball (the sandbox image); not part of Runtime. */
  async importImage(rootfs: Buffer, repo: string, tag: string, changes: string[]): Promise<void> {
    const src = new PassThrough();
    src.end(rootfs);
    const stream = (await this.docker.importImage(src, { repo, tag, changes } as object)) as Readable;
    const err = await consumeProgress(stream);
    if (err) throw new Error(`docker import ${repo}:${tag}: ${err}`);
  }

  async createSandbox(cfg: SandboxConfig, signal?: AbortSignal): Promise<string> {
    try {
      await ensureSandboxImage(this);
      return await this.create(sandboxBody(cfg, containerName(cfg.identity), SANDBOX_IMAGE), signal);
    } catch (e) {
      throw new RuntimeError('CreatePodSandboxError', `sandbox for ${cfg.identity.podNamespace}/${cfg.identity.podName}: ${messageOf(e)}`);
    }
  }

  async createContainer(cfg: ContainerConfig, signal?: AbortSignal): Promise<string> {
    try {
      return await this.create(containerBody(cfg, containerName(cfg.identity)), signal);
    } catch (e) {
      throw new RuntimeError('CreateContainerError', messageOf(e));
    }
  }

  /** create; a leftover never-started container holding the same name (crash mid-create) is replaced */
  private async create(body: DockerCreateBody, signal?: AbortSignal, retried = false): Promise<string> {
    try {
      const c = await this.docker.createContainer({ ...body, abortSignal: signal } as Docker.ContainerCreateOptions);
      return c.id;
    } catch (e) {
      if (statusOf(e) !== 409 || retried) throw e;
      const old = await this.rawInspect(body.name, signal);
      if (!old || old.State.Status !== 'created' || old.Config.Labels?.[LABEL_MANAGED] !== 'true') throw e;
      this.log.warn({ name: body.name, id: old.Id }, 'replacing never-started container with the same name');
      await this.removeContainer(old.Id);
      return this.create(body, signal, true);
    }
  }

  async startContainer(id: string, signal?: AbortSignal): Promise<void> {
    this.inspectCache.delete(id);
    try {
      await this.docker.getContainer(id).start({ abortSignal: signal });
    } catch (e) {
      if (statusOf(e) === 304) return; // already running
      throw new RuntimeError('RunContainerError', messageOf(e));
    }
  }

  async stopContainer(id: string, graceSeconds: number, signal?: AbortSignal): Promise<void> {
    this.inspectCache.delete(id);
    try {
      // docker stop sends the image's STOPSIGNAL (default SIGTERM), waits t seconds, then SIGKILL
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(graceSeconds)), abortSignal: signal });
    } catch (e) {
      const s = statusOf(e);
      if (s === 304 || s === 404) return; // already stopped / gone
      throw e;
    }
  }

  async removeContainer(id: string): Promise<void> {
    this.inspectCache.delete(id);
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      const s = statusOf(e);
      if (s === 404) return;
      if (s === 409 && /already in progress/i.test(messageOf(e))) return;
      throw e;
    }
  }

  private async rawInspect(id: string, signal?: AbortSignal): Promise<DockerInspect | undefined> {
    try {
      return (await this.docker.getContainer(id).inspect({ abortSignal: signal } as object)) as unknown as DockerInspect;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async inspect(id: string): Promise<RuntimeContainer | undefined> {
    const d = await this.rawInspect(id);
    return d ? fromInspect(d) : undefined;
  }

  /** As dockershim did: on user networks Docker writes 127.0.0.11 there; overwrite it in place. */
  async writeResolvConf(sandboxId: string, text: string): Promise<void> {
    const path = (await this.rawInspect(sandboxId))?.ResolvConfPath;
    if (path) await writeFile(path, text, { mode: 0o644 });
  }

  async exec(id: string, cmd: string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecResult> {
    const exec = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, abortSignal: signal } as Docker.ExecCreateOptions);
    const stream = (await exec.start({ hijack: true, stdin: false, abortSignal: signal } as Docker.ExecStartOptions)) as Readable;
    const { output, timedOut } = await collectExecOutput(stream, EXEC_OUTPUT_LIMIT, timeoutMs);
    if (timedOut) return { exitCode: -1, output, timedOut: true };
    // the stream can end a moment before dockerd records the exit code
    for (let i = 0; i < 20; i++) {
      const info = await exec.inspect();
      if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode ?? -1, output, timedOut: false };
      await new Promise((r) => setTimeout(r, 25));
    }
    return { exitCode: -1, output, timedOut: false };
  }

  async logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    const c = this.docker.getContainer(id);
    const info = await c.inspect();
    let since: number | undefined;
    if (opts.sinceSeconds !== undefined) since = Math.floor(Date.now() / 1000) - opts.sinceSeconds;
    else if (opts.sinceTime) since = Math.floor(Date.parse(opts.sinceTime) / 1000);
    const q = {
      stdout: true,
      stderr: true,
      timestamps: opts.timestamps ?? false,
      tail: opts.tailLines !== undefined ? opts.tailLines : ('all' as unknown as number),
      ...(since !== undefined && Number.isFinite(since) ? { since } : {}),
      abortSignal: signal,
    };
    const limit = opts.limitBytes && opts.limitBytes > 0 ? opts.limitBytes : undefined;
    if (!opts.follow) {
      const buf = await c.logs({ ...q, follow: false });
      const text = info.Config.Tty ? buf : demuxBuffer(buf);
      return Readable.from([limit ? text.subarray(0, limit) : text]);
    }
    const raw = (await c.logs({ ...q, follow: true })) as Readable;
    return followLogStream(raw, info.Config.Tty, limit, this.log);
  }

  async readFile(id: string, path: string, maxBytes: number): Promise<string | undefined> {
    let stream: Readable;
    try {
      stream = (await this.docker.getContainer(id).getArchive({ path })) as Readable;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
    // headers (and a possible pax header) plus the bounded content; the rest is never read
    const buf = await readBounded(stream, maxBytes + 8 * 1024);
    const f = firstTarFile(buf, maxBytes);
    return f?.data.toString('utf8');
  }

  events(onEvent: (ev: RuntimeEvent) => void): () => void {
    return followEvents(
      async (signal, since) =>
        (await this.docker.getEvents({
          filters: { type: ['container'], label: [MANAGED_FILTER], event: LIFECYCLE_EVENTS },
          ...(since !== undefined ? { since } : {}),
          abortSignal: signal,
        } as object)) as Readable,
      (ev) => {
        const id = ev.Actor?.ID ?? ev.id;
        const podUid = ev.Actor?.Attributes?.[LABEL_POD_UID];
        if (!id || !podUid || !ev.Action) return;
        this.inspectCache.delete(id);
        onEvent({ podUid, containerId: id, action: ev.Action });
      },
      this.log,
    );
  }

  async listImages(): Promise<{ id: string; tags: string[]; size: number; created: number }[]> {
    const images = await this.docker.listImages();
    return images.map((i) => ({
      id: i.Id,
      tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      size: i.Size,
      created: i.Created,
    }));
  }

  async removeImage(id: string): Promise<void> {
    try {
      await this.docker.getImage(id).remove();
    } catch (e) {
      const s = statusOf(e);
      if (s === 404) return;
      // an id tagged into several repositories needs force; images used by containers still refuse
      if (s === 409 && /multiple repositories/i.test(messageOf(e))) {
        await this.docker.getImage(id).remove({ force: true });
        return;
      }
      throw e;
    }
  }

  async ensurePodNetwork(name: string, subnet: string, gateway: string, bridgeName: string, opts: { masquerade?: boolean } = {}): Promise<string> {
    const existing = await this.networkSubnets(name);
    if (existing) {
      if (existing.includes(subnet)) return name;
      throw new Error(`docker network ${name} exists with subnet ${existing.join(',') || 'none'}, want ${subnet}`);
    }
    try {
      await this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gateway }] },
        Options: { 'com.docker.network.bridge.name': bridgeName, ...(opts.masquerade === false ? { 'com.docker.network.bridge.enable_ip_masquerade': 'false' } : {}) },
        Labels: { [LABEL_MANAGED]: 'true' },
      });
    } catch (e) {
      // another caller created it meanwhile: accept it when the subnet matches
      if (statusOf(e) === 409 && (await this.networkSubnets(name))?.includes(subnet)) return name;
      throw e;
    }
    return name;
  }

  private async networkSubnets(name: string): Promise<string[] | undefined> {
    try {
      const n = (await this.docker.getNetwork(name).inspect()) as { IPAM?: { Config?: { Subnet?: string }[] } };
      return (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter(Boolean);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }
}
