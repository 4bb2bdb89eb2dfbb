// One in-memory copy of what nodes may receive (pods, ConfigMaps, Secrets, Services, Endpoints, Nodes),
// fed by one registry watch per resource and shared by every node session and the node
// authorizer — N nodes never mean N× the watches. Listeners hear each change after the cache
// applied it, so they can recompute from a consistent view.
import { resourceFor, type ResourceInfo } from '../../api/resources.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, WatchHandle } from '../registry/types.js';
import type { ClusterView, DesiredKind } from './desired-state.js';

export interface CacheChange {
  kind: DesiredKind;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** the previous version, when there was one */
  old?: KubeObject;
}

const KINDS: Array<[DesiredKind, ResourceInfo]> = [
  ['Pod', resourceFor('', 'pods')!],
  ['ConfigMap', resourceFor('', 'configmaps')!],
  ['Secret', resourceFor('', 'secrets')!],
  ['Service', resourceFor('', 'services')!],
  ['Endpoints', resourceFor('', 'endpoints')!],
  ['Node', resourceFor('', 'nodes')!],
];

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const nodeOf = (pod: KubeObject | undefined): string | undefined => (pod?.spec?.nodeName ? String(pod.spec.nodeName) : undefined);

export class ClusterCache implements ClusterView {
  private readonly objects = new Map<DesiredKind, Map<string, KubeObject>>(KINDS.map(([k]) => [k, new Map()]));
  private readonly podsByNode = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<(c: CacheChange) => void>();
  private readonly handles: WatchHandle[] = [];
  private stopped = false;
  private synced = false;
  /** the highest resourceVersion applied so far */
  revision = 0;

  constructor(
    private readonly registry: Registry,
    private readonly log: Logger,
  ) {}

  /** Opens the watches; resolves once each delivered its initial listing. */
  async start(): Promise<void> {
    await Promise.all(KINDS.map(([kind, ri]) => this.watchKind(kind, ri)));
    this.synced = true;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    for (const h of this.handles.splice(0)) h.stop();
    this.listeners.clear();
  }

  subscribe(listener: (c: CacheChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  podsOnNode(node: string): Iterable<KubeObject> {
    return this.podsByNode.get(node)?.values() ?? [];
  }
  pod(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get('Pod')!.get(`${namespace}/${name}`);
  }
  configMap(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get('ConfigMap')!.get(`${namespace}/${name}`);
  }
  secret(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get('Secret')!.get(`${namespace}/${name}`);
  }
  services(): Iterable<KubeObject> {
    return this.objects.get('Service')!.values();
  }
  endpoints(): Iterable<KubeObject> {
    return this.objects.get('Endpoints')!.values();
  }
  nodes(): Iterable<KubeObject> {
    return this.objects.get('Node')!.values();
  }

  // A watch ERROR (history expired) reopens from a fresh listing; objects missing from it are
  // reported DELETED so every session converges.
  private async watchKind(kind: DesiredKind, ri: ResourceInfo): Promise<void> {
    if (this.stopped) return;
    const seen = new Set<string>();
    let initial = true;
    let broken = false;
    const handle = await this.registry.watch(ri, undefined, { resourceVersion: '' }, (ev: WatchEvent) => {
      if (broken || this.stopped) return;
      if (ev.type === 'BOOKMARK') return;
      if (ev.type === 'ERROR') {
        broken = true;
        this.log.warn({ kind, status: ev.object?.message }, 'agent cache watch error; relisting');
        handle?.stop();
        setTimeout(() => void this.watchKind(kind, ri).catch((err) => this.log.error({ err, kind }, 'agent cache rewatch failed')), 500);
        return;
      }
      if (initial) seen.add(keyOf(ev.object));
      this.apply(kind, ev.type, ev.object);
    });
    initial = false;
    if (broken) return;
    // After a relist: whatever was cached but not listed again is gone.
    for (const [key, obj] of [...this.objects.get(kind)!]) if (!seen.has(key)) this.apply(kind, 'DELETED', obj);
    if (this.stopped) handle.stop();
    else this.handles.push(handle);
  }

  private apply(kind: DesiredKind, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    const map = this.objects.get(kind)!;
    const key = keyOf(object);
    const old = map.get(key);
    const rv = Number(object.metadata.resourceVersion);
    if (Number.isFinite(rv) && rv > this.revision) this.revision = rv;
    if (type === 'DELETED') map.delete(key);
    else map.set(key, object);
    if (kind === 'Pod') {
      const before = nodeOf(old);
      const after = type === 'DELETED' ? undefined : nodeOf(object);
      if (before !== undefined && before !== after) this.podsByNode.get(before)?.delete(key);
      if (after !== undefined) {
        let m = this.podsByNode.get(after);
        if (!m) this.podsByNode.set(after, (m = new Map()));
        m.set(key, object);
      }
    }
    const change: CacheChange = { kind, type: type === 'ADDED' && old ? 'MODIFIED' : type, object, ...(old ? { old } : {}) };
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.log.error({ err, kind }, 'agent cache listener failed');
      }
    }
  }
}
