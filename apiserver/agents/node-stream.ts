// One connected agent: sends its desired state (a Snapshot, then Deltas as the cluster changes)
// and takes its reports. Desired state is level-based: on any relevant cache change the session
// recomputes what the node should hold and sends the difference from what it last sent, batched
// per tick, so a reference appearing or a pod leaving needs no special case.
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { AgentMessage__Output, ControlMessage, ObjectChange } from '../../proto/load.js';
import type { Registry } from '../registry/types.js';
import { desiredFor, diffDesired, podReferences, sameContent, slimNode, type DesiredChange, type DesiredEntry } from './desired-state.js';
import type { CacheChange, ClusterCache } from './fanout.js';
import { KeyedChain } from '../../lib/keyed-chain.js';
import { eventBelongsTo, recordEvent, renewLease, writeNodeStatus, writePodStatus } from './status-intake.js';

/** Where a session's data goes (the log proxy registers one per request). */
export interface SessionSink {
  data(stream: number, data: Buffer): void;
  end(errorStatus?: Record<string, unknown>): void;
}

function toWire(c: DesiredChange): ObjectChange {
  return { type: c.type, kind: c.kind, objectJson: Buffer.from(JSON.stringify(c.object)) };
}

export class NodeSession {
  private sent = new Map<string, DesiredEntry>();
  private unsubscribe: (() => void) | undefined;
  private pending = false;
  private closed = false;
  private readonly podVersions = new Map<string, number>();
  private readonly sessions = new Map<string, SessionSink>();
  // Reports are applied in arrival order per subject (one pod's status updates must not race, nor
  // one event series' count bumps) but concurrently across subjects, so a burst of pods does not
  // queue every status write behind every event (and the store can batch their commits).
  private readonly chain = new KeyedChain((err) => this.log.warn({ err, node: this.node }, 'agent report failed'));
  /** called once when the session closes (the stream owner ends the call) */
  onClose: (() => void) | undefined;

  constructor(
    readonly node: string,
    private readonly cache: ClusterCache,
    private readonly registry: Registry,
    private readonly send: (msg: ControlMessage) => void,
    private readonly log: Logger,
  ) {}

  /** 1. subscribe first so no change is missed, 2. send the full snapshot. */
  start(): void {
    this.unsubscribe = this.cache.subscribe((c) => this.onCacheChange(c));
    this.sent = desiredFor(this.node, this.cache);
    const objects = [...this.sent.values()].map((e) => toWire({ type: 'UPSERT', kind: e.kind, object: e.object }));
    this.send({ snapshot: { objects, revision: this.cache.revision } });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const s of this.sessions.values()) s.end({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `node "${this.node}" disconnected`, reason: 'ServiceUnavailable', code: 503 });
    this.sessions.clear();
    this.onClose?.();
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Registers a data sink and sends the request that opens the session on the agent. */
  openSession(id: string, sink: SessionSink, request: ControlMessage): void {
    if (this.closed) throw new Error(`node "${this.node}" is not connected`);
    this.sessions.set(id, sink);
    this.send(request);
  }

  cancelSession(id: string): void {
    if (!this.sessions.delete(id) || this.closed) return;
    this.send({ cancelSession: { sessionId: id } });
  }

  private relevant(c: CacheChange): boolean {
    switch (c.kind) {
      case 'Pod':
        return c.object.spec?.nodeName === this.node || c.old?.spec?.nodeName === this.node;
      case 'ConfigMap':
      case 'Secret': {
        const ns = c.object.metadata.namespace ?? '';
        const name = c.object.metadata.name ?? '';
        for (const pod of this.cache.podsOnNode(this.node)) {
          if (pod.metadata.namespace !== ns) continue;
          if (podReferences(pod)[c.kind === 'Secret' ? 'secrets' : 'configMaps'].has(name)) return true;
        }
        return this.sent.has(`${c.kind}/${ns}/${name}`);
      }
      case 'Node':
        // a heartbeat changes nothing other nodes route by
        return !(c.type === 'MODIFIED' && c.old && sameContent('Node', slimNode(c.old), slimNode(c.object)));
      default:
        return true;
    }
  }

  private onCacheChange(c: CacheChange): void {
    if (this.closed || this.pending || !this.relevant(c)) return;
    this.pending = true;
    // Coalesce a burst of changes (a relist, a rollout) into one Delta.
    setImmediate(() => {
      this.pending = false;
      if (this.closed) return;
      const next = desiredFor(this.node, this.cache);
      const changes = diffDesired(this.sent, next);
      this.sent = next;
      if (changes.length > 0) this.send({ delta: { changes: changes.map(toWire), revision: this.cache.revision } });
    });
  }

  /** Takes one agent message. Session data is routed at once; reports are queued in order. */
  receive(msg: AgentMessage__Output): void {
    if (this.closed) return;
    if (msg.sessionData) {
      const d = msg.sessionData;
      const sink = this.sessions.get(d.sessionId);
      if (!sink) return;
      if (d.data && d.data.length > 0) sink.data(d.stream, d.data);
      if (d.eof) {
        this.sessions.delete(d.sessionId);
        sink.end(d.errorStatusJson && d.errorStatusJson.length > 0 ? (JSON.parse(d.errorStatusJson.toString('utf8')) as Record<string, unknown>) : undefined);
      }
      return;
    }
    if (msg.event) {
      let ev: KubeObject;
      try {
        ev = parseJson(msg.event.eventJson);
      } catch (err) {
        this.log.warn({ err, node: this.node }, 'agent event is not JSON');
        return;
      }
      // one series (same name) in order, so count bumps land in order
      this.chain.run(`event/${ev.metadata.namespace ?? ''}/${ev.metadata.name ?? ''}`, () => this.applyEvent(ev));
      return;
    }
    this.chain.run(msg.podStatus ? `pod/${msg.podStatus.uid}` : 'node', () => this.apply(msg));
  }

  /** Resolves when every queued report has been applied (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain.idle();
  }

  private async apply(msg: AgentMessage__Output): Promise<void> {
    if (msg.nodeStatus) {
      await writeNodeStatus(this.registry, this.node, parseJson(msg.nodeStatus.nodeJson));
    } else if (msg.lease) {
      await renewLease(this.registry, this.node, msg.lease.renewTimeUnixMs || Date.now());
    } else if (msg.podStatus) {
      const p = msg.podStatus;
      const last = this.podVersions.get(p.uid);
      if (last !== undefined && p.version <= last) return;
      this.podVersions.set(p.uid, p.version);
      const res = await writePodStatus(this.registry, this.node, {
        namespace: p.namespace,
        name: p.name,
        uid: p.uid,
        status: parseJson(p.statusJson) as unknown as Record<string, unknown>,
        terminated: p.terminated,
      });
      if (res === 'deleted') this.podVersions.delete(p.uid);
    }
  }

  private async applyEvent(ev: KubeObject): Promise<void> {
    if (!eventBelongsTo(ev, this.node, (ns, name) => this.cache.pod(ns, name))) {
      this.log.debug({ node: this.node, involved: ev.involvedObject }, 'agent event for a foreign object dropped');
      return;
    }
    await recordEvent(this.registry, this.node, ev);
  }
}

function parseJson(buf: Buffer): KubeObject {
  const obj = JSON.parse(buf.toString('utf8')) as KubeObject;
  if (!obj || typeof obj !== 'object') throw new Error('expected a JSON object');
  obj.metadata ??= {};
  return obj;
}
