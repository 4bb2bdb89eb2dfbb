// An in-memory Runtime that records every call as a readable line (`calls`) and can be told to fail
// (`injectError`). Containers move through created → running → exited as calls and `exit()` say.
import { Readable } from 'node:stream';
import type {
  ContainerConfig,
  ExecResult,
  LogOptions,
  PullAuth,
  Runtime,
  RuntimeContainer,
  RuntimeEvent,
  RuntimePod,
  SandboxConfig,
} from '../../agent/runtime/runtime.js';

type Method = keyof Runtime;

export class FakeRuntime implements Runtime {
  readonly calls: string[] = [];
  readonly containers = new Map<string, RuntimeContainer>();
  /** image reference → image id */
  readonly images = new Map<string, string>();
  /** images that exist in the "registry" (pullable) */
  readonly registry = new Set<string>();
  readonly files = new Map<string, string>();
  readonly logLines = new Map<string, string>();
  private readonly errors = new Map<string, Error[]>();
  private readonly listeners = new Set<(ev: RuntimeEvent) => void>();
  private seq = 0;
  private ipSeq = 1;
  /** optional hook to block a call (e.g. to hold a sync open in a test) */
  gate?: (method: Method, arg: string) => Promise<void> | void;

  constructor(public now: () => number = () => Date.now()) {}

  /** The next `times` calls of method fail with err. */
  injectError(method: Method, err: Error, times = 1): void {
    const list = this.errors.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(err);
    this.errors.set(method, list);
  }

  private async enter(method: Method, arg = '', signal?: AbortSignal): Promise<void> {
    this.calls.push(arg ? `${method} ${arg}` : method);
    if (this.gate) {
      const held = this.gate(method, arg);
      // like dockerode, a call held open rejects as soon as its signal aborts
      if (signal && held) {
        await Promise.race([
          held,
          new Promise<never>((_, reject) => {
            if (signal.aborted) reject(signal.reason);
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
        ]);
      } else await held;
    }
    const list = this.errors.get(method);
    const err = list?.shift();
    if (err) throw err;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** The label name of a container for call lines: "app#1", "POD#0". */
  private label(id: string): string {
    const c = this.containers.get(id);
    return c ? `${c.kind === 'sandbox' ? 'POD' : c.containerName}#${c.restartCount}` : id;
  }

  private emit(c: RuntimeContainer, action: string): void {
    for (const l of this.listeners) l({ podUid: c.podUid, containerId: c.id, action });
  }

  /** Make a running container exit (as if its process ended). */
  exit(idOrName: string, exitCode: number, opts: { oomKilled?: boolean } = {}): RuntimeContainer {
    const c = this.find(idOrName);
    c.state = 'exited';
    c.exitCode = exitCode;
    c.oomKilled = opts.oomKilled;
    c.finishedAt = this.iso();
    this.emit(c, 'die');
    return c;
  }

  /** Latest container by id or by Kubernetes container name ("POD" = latest sandbox). */
  find(idOrName: string): RuntimeContainer {
    const direct = this.containers.get(idOrName);
    if (direct) return direct;
    const all = [...this.containers.values()].filter((c) => (idOrName === 'POD' ? c.kind === 'sandbox' : c.containerName === idOrName && c.kind !== 'sandbox'));
    const c = all.sort((a, b) => b.restartCount - a.restartCount)[0];
    if (!c) throw new Error(`no container ${idOrName}`);
    return c;
  }

  /** Put a container in place directly (adoption tests, prepared states). */
  add(c: Partial<RuntimeContainer> & Pick<RuntimeContainer, 'podUid' | 'containerName' | 'kind'>): RuntimeContainer {
    const id = c.id ?? `c${++this.seq}`;
    const full: RuntimeContainer = {
      podName: 'p',
      podNamespace: 'default',
      specHash: '',
      restartCount: 0,
      image: 'img',
      imageId: 'sha256:img',
      state: 'running',
      createdAt: this.iso(),
      startedAt: this.iso(),
      ...c,
      id,
    };
    this.containers.set(id, full);
    return full;
  }

  async version() {
    return { name: 'fake', version: '1.0', apiVersion: '1.0' };
  }

  async listPods(): Promise<RuntimePod[]> {
    const pods = new Map<string, RuntimePod>();
    for (const c of this.containers.values()) {
      let p = pods.get(c.podUid);
      if (!p) pods.set(c.podUid, (p = { uid: c.podUid, name: c.podName, namespace: c.podNamespace, sandboxes: [], containers: [] }));
      (c.kind === 'sandbox' ? p.sandboxes : p.containers).push({ ...c });
    }
    for (const p of pods.values()) p.sandboxes.sort((a, b) => b.restartCount - a.restartCount);
    return [...pods.values()];
  }

  async imageId(image: string): Promise<string | undefined> {
    await this.enter('imageId', image);
    return this.images.get(image);
  }

  async pullImage(image: string, _auth: PullAuth[] | undefined): Promise<string> {
    await this.enter('pullImage', image);
    if (!this.registry.has(image)) throw new Error(`manifest for ${image} not found`);
    const id = `sha256:${image.replace(/[^a-z0-9]/g, '')}`;
    this.images.set(image, id);
    return id;
  }

  async createSandbox(cfg: SandboxConfig): Promise<string> {
    await this.enter('createSandbox', `POD#${cfg.identity.restartCount}`);
    const c = this.add({ ...cfg.identity, image: 'pause', state: 'created', startedAt: undefined, ip: undefined });
    return c.id;
  }

  async createContainer(cfg: ContainerConfig): Promise<string> {
    await this.enter('createContainer', `${cfg.identity.containerName}#${cfg.identity.restartCount}`);
    const c = this.add({ ...cfg.identity, image: cfg.image, imageId: this.images.get(cfg.image) ?? '', state: 'created', startedAt: undefined });
    return c.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.enter('startContainer', this.label(id));
    const c = this.containers.get(id);
    if (!c) throw new Error(`no such container ${id}`);
    c.state = 'running';
    c.startedAt = this.iso();
    if (c.kind === 'sandbox') c.ip = `10.244.0.${++this.ipSeq}`;
    this.emit(c, 'start');
  }

  async stopContainer(id: string, graceSeconds: number, signal?: AbortSignal): Promise<void> {
    await this.enter('stopContainer', `${this.label(id)} grace=${graceSeconds}`, signal);
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'running') {
      c.state = 'exited';
      c.exitCode = 137;
      c.finishedAt = this.iso();
      this.emit(c, 'die');
    }
  }

  async removeContainer(id: string): Promise<void> {
    await this.enter('removeContainer', this.label(id));
    this.containers.delete(id);
  }

  async inspect(id: string): Promise<RuntimeContainer | undefined> {
    const c = this.containers.get(id);
    return c ? { ...c } : undefined;
  }

  async exec(id: string, cmd: string[]): Promise<ExecResult> {
    await this.enter('exec', `${this.label(id)} ${cmd.join(' ')}`);
    return { exitCode: 0, output: '', timedOut: false };
  }

  async logs(id: string, _opts: LogOptions): Promise<NodeJS.ReadableStream> {
    await this.enter('logs', this.label(id));
    return Readable.from([this.logLines.get(id) ?? '']);
  }

  async readFile(id: string, path: string, maxBytes: number): Promise<string | undefined> {
    await this.enter('readFile', `${this.label(id)} ${path}`);
    return this.files.get(`${id}:${path}`)?.slice(0, maxBytes);
  }

  events(onEvent: (ev: RuntimeEvent) => void): () => void {
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }

  async listImages() {
    return [...this.images.entries()].map(([tag, id]) => ({ id, tags: [tag], size: 1, created: 0 }));
  }

  async removeImage(id: string): Promise<void> {
    await this.enter('removeImage', id);
    for (const [k, v] of this.images) if (v === id) this.images.delete(k);
  }

  async ensurePodNetwork(name: string): Promise<string> {
    await this.enter('ensurePodNetwork', name);
    return name;
  }
}
