// The agent's one stream to the control plane: mTLS with the node credential, Hello, then desired
// state in and status/events/log data out. It reconnects forever (backoff with jitter) until
// close(); while away, the desired state is kept as it was (running pods keep running) and the
// next Snapshot replaces it, turning whatever vanished meanwhile into deletes.
import * as grpc from '@grpc/grpc-js';
import type { KubeObject } from '../../api/types.js';
import { Backoff, type BackoffOptions } from '../../lib/backoff.js';
import { sleep } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { agentV1, type AgentServiceClient, type ControlMessage__Output, type ObjectChange__Output, type AgentMessage } from '../../proto/load.js';
import { ensureCredentials } from './bootstrap.js';
import type { NodeCredentials } from './credentials-store.js';
import { DesiredStore, isDesiredKind } from './desired-state.js';
import { LogSessions, type LogHandler } from './log-sessions.js';
import { Outbox } from './outbox.js';
import type { ClusterSettings, ControlPlaneLink, DesiredChange } from './types.js';

export const AGENT_VERSION = 'v1.32.0-kinglet';

export interface ConnectOptions {
  server: string;
  token?: string;
  nodeName: string;
  dataDir: string;
  log: Logger;
  /** reconnect delays (default 0.5 s doubling to 30 s, +50% jitter) */
  backoff?: BackoffOptions;
}

export interface GrpcControlPlaneLink extends ControlPlaneLink {
  readonly desired: DesiredStore;
  readonly credentials: NodeCredentials;
  /** resolves once a stream is established (or at once when it is) */
  waitConnected(signal?: AbortSignal): Promise<void>;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** Join if needed, then start the stream loop. Resolves once the credential is ready, not when connected. */
export async function connectControlPlane(opts: ConnectOptions): Promise<GrpcControlPlaneLink> {
  const credentials = await ensureCredentials(opts);
  const link = new Link(credentials, opts);
  link.start();
  return link;
}

function toDesiredChanges(objects: ObjectChange__Output[], log: Logger): DesiredChange[] {
  const out: DesiredChange[] = [];
  for (const o of objects) {
    if (!isDesiredKind(o.kind)) {
      log.warn({ kind: o.kind }, 'ignoring desired object of unknown kind');
      continue;
    }
    try {
      out.push({ kind: o.kind, type: o.type === 'DELETE' ? 'delete' : 'upsert', object: JSON.parse(o.objectJson.toString('utf8')) as KubeObject });
    } catch {
      log.warn({ kind: o.kind }, 'ignoring desired object with invalid JSON');
    }
  }
  return out;
}

class Link implements GrpcControlPlaneLink {
  readonly desired = new DesiredStore();
  readonly cluster: ClusterSettings;
  private readonly outbox = new Outbox();
  private readonly sessions = new LogSessions();
  private readonly client: AgentServiceClient;
  private readonly backoff: Backoff;
  private readonly stop = new AbortController();
  private readonly log: Logger;
  private call?: grpc.ClientDuplexStream<AgentMessage, ControlMessage__Output>;
  private isConnected = false;
  private connectWaiters: Array<() => void> = [];
  private loop?: Promise<void>;

  constructor(
    readonly credentials: NodeCredentials,
    private readonly opts: ConnectOptions,
  ) {
    this.cluster = credentials.cluster;
    this.log = opts.log;
    this.backoff = new Backoff(opts.backoff ?? DEFAULT_BACKOFF);
    const creds = grpc.credentials.createSsl(Buffer.from(credentials.caPem), Buffer.from(credentials.keyPem), Buffer.from(credentials.certPem));
    // Keepalive pings find a silently dead server (host gone, cable pulled) within ~40 s.
    this.client = new (agentV1().AgentService)(credentials.agentEndpoint, creds, {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    // A pod gone from the desired state has no status left to report.
    this.desired.onChange((changes) => {
      for (const c of changes) if (c.kind === 'Pod' && c.type === 'delete' && c.object.metadata.uid) this.outbox.podGone(c.object.metadata.uid);
    });
  }

  start(): void {
    this.loop ??= this.run();
  }

  sendPodStatus(pod: KubeObject, status: KubeObject['status'], terminated: boolean): void {
    this.outbox.podStatus(pod, status, terminated);
  }

  sendEvent(event: KubeObject): void {
    this.outbox.event(event);
  }

  sendNodeStatus(node: KubeObject): void {
    this.outbox.node(node);
  }

  renewLease(): void {
    this.outbox.lease();
  }

  onLogRequest(handler: LogHandler): void {
    this.sessions.setHandler(handler);
  }

  connected(): boolean {
    return this.isConnected;
  }

  waitConnected(signal?: AbortSignal): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.connectWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.call?.cancel();
    await this.loop;
    this.client.close();
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      await this.streamOnce();
      if (this.stop.signal.aborted) break;
      const delay = this.backoff.next();
      this.log.info({ delayMs: Math.round(delay), attempt: this.backoff.attempts() }, 'reconnecting to the control plane');
      await sleep(delay, this.stop.signal).catch(() => undefined);
    }
  }

  /** One stream from dial to loss; resolves when it is over. */
  private streamOnce(): Promise<void> {
    return new Promise((resolve) => {
      const call = this.client.Connect();
      this.call = call;
      let established = false;
      let finished = false;
      const write = (msg: AgentMessage): void => {
        if (this.call !== call || finished) return;
        try {
          call.write(msg);
        } catch (err) {
          this.log.debug({ err: (err as Error).message }, 'write on a closing stream');
        }
      };
      const establish = (): void => {
        if (established || finished) return;
        established = true;
        this.isConnected = true;
        this.log.info({ endpoint: this.credentials.agentEndpoint }, 'connected to the control plane');
        this.outbox.setWriter(write);
        const waiters = this.connectWaiters;
        this.connectWaiters = [];
        for (const w of waiters) w();
      };
      const finish = (reason: string): void => {
        if (finished) return;
        finished = true;
        if (this.isConnected) this.log.warn({ reason }, 'lost the control plane stream');
        else if (!this.stop.signal.aborted) this.log.warn({ reason }, 'cannot reach the control plane');
        this.isConnected = false;
        this.outbox.setWriter(undefined);
        this.sessions.cancelAll();
        if (this.call === call) this.call = undefined;
        try {
          call.end();
        } catch {
          // already closed
        }
        resolve();
      };
      call.on('metadata', establish);
      call.on('data', (msg: ControlMessage__Output) => {
        establish();
        // Only a server that actually talks resets the delay: one that accepts and then refuses
        // (e.g. PERMISSION_DENIED) must not be hammered.
        this.backoff.reset();
        this.handle(msg, write);
      });
      call.on('error', (err: grpc.ServiceError) => finish(err.details || err.message));
      call.on('status', (s: grpc.StatusObject) => finish(s.details || grpc.status[s.code] || 'stream ended'));
      call.on('end', () => finish('stream ended by the server'));
      call.write({ hello: { nodeName: this.opts.nodeName, lastRevision: this.desired.revision(), agentVersion: AGENT_VERSION } });
    });
  }

  private handle(msg: ControlMessage__Output, write: (m: AgentMessage) => void): void {
    try {
      switch (msg.msg) {
        case 'snapshot': {
          const s = msg.snapshot!;
          const changes = this.desired.applySnapshot(toDesiredChanges(s.objects, this.log), s.revision);
          this.log.info({ objects: s.objects.length, revision: s.revision, changes: changes.length }, 'desired state snapshot');
          break;
        }
        case 'delta': {
          const d = msg.delta!;
          this.desired.applyDelta(toDesiredChanges(d.changes, this.log), d.revision);
          break;
        }
        case 'logRequest':
          this.sessions.start(msg.logRequest!, write);
          break;
        case 'cancelSession':
          this.sessions.cancel(msg.cancelSession!.sessionId);
          break;
        default:
          this.log.warn({ msg: msg.msg }, 'unknown control message');
      }
    } catch (err) {
      // A failing consumer must not take the stream down: the state is applied, the error logged.
      this.log.error({ err: (err as Error).message, msg: msg.msg }, 'control message handler failed');
    }
  }
}
