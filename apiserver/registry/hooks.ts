// The per-kind behaviour of the registry that is not validation: namespaces must exist, Services
// get addresses, deletions are graceful or finalized, pods are bound and evicted.
import { resourceFor, type ResourceInfo } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { ApiError, isNotFound } from '../../lib/errors.js';
import { deepCopy } from './codec.js';
import { NodePortAllocator } from './node-port-allocator.js';
import { ServiceIpAllocator } from './service-ip-allocator.js';
import { bindPod, evictPod } from './pod-subresources.js';
import type { DeleteOptions, Registry, WriteOptions } from './types.js';

const NAMESPACES = resourceFor('', 'namespaces')!;
const SERVICES = resourceFor('', 'services')!;

export interface RegistryHooks {
  createSubresource(reg: Registry, ri: ResourceInfo, ns: string | undefined, body: KubeObject, opts: WriteOptions): Promise<KubeObject>;
  beforeCreate(reg: Registry, ri: ResourceInfo, obj: KubeObject, opts: WriteOptions): Promise<void>;
  abortCreate(ri: ResourceInfo, obj: KubeObject): void;
  beforeUpdate(reg: Registry, ri: ResourceInfo, next: KubeObject, old: KubeObject, opts: WriteOptions): Promise<void>;
  /** true when nothing holds the object any more (finalizers empty) */
  finalized(ri: ResourceInfo, obj: KubeObject): boolean;
  /** object to store instead of deleting (marked for deletion), or {} to delete now */
  planDelete(ri: ResourceInfo, obj: KubeObject, opts: DeleteOptions, now: Date): { object?: KubeObject };
  afterDelete(ri: ResourceInfo, obj: KubeObject): void;
}

export class KindHooks implements RegistryHooks {
  readonly serviceIps: ServiceIpAllocator;
  readonly nodePorts = new NodePortAllocator();

  constructor(serviceCidr: string) {
    this.serviceIps = new ServiceIpAllocator(serviceCidr);
  }

  /** Rebuild allocator state from the stored Services (the store is the memory, not this process). */
  async load(reg: Registry): Promise<void> {
    const list = await reg.list(SERVICES, undefined);
    for (const svc of list.items) {
      for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== 'None') this.serviceIps.markAllocated(ip);
      for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.nodePorts.markAllocated(p.nodePort);
    }
  }

  async createSubresource(reg: Registry, ri: ResourceInfo, ns: string | undefined, body: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    if (ri.kind === 'Pod' && opts.subresource === 'binding') return bindPod(reg, ns!, body, opts);
    if (ri.kind === 'Pod' && opts.subresource === 'eviction') return evictPod(reg, ns!, body, opts);
    throw new ApiError('MethodNotAllowed', `POST is not supported on ${ri.plural}/${opts.subresource}`);
  }

  async beforeCreate(reg: Registry, ri: ResourceInfo, obj: KubeObject, _opts: WriteOptions): Promise<void> {
    if (ri.namespaced) await this.checkNamespace(reg, obj.metadata.namespace!);
    if (ri.kind === 'Service') this.allocateService(obj, undefined);
  }

  abortCreate(ri: ResourceInfo, obj: KubeObject): void {
    if (ri.kind === 'Service') this.releaseService(obj);
  }

  async beforeUpdate(_reg: Registry, ri: ResourceInfo, next: KubeObject, old: KubeObject, opts: WriteOptions): Promise<void> {
    if (ri.kind === 'Service' && !opts.subresource) this.allocateService(next, old);
    if (ri.kind === 'Namespace' && old.metadata.deletionTimestamp) next.status = { ...(next.status ?? {}), phase: 'Terminating' };
  }

  finalized(ri: ResourceInfo, obj: KubeObject): boolean {
    if (obj.metadata.finalizers?.length) return false;
    if (ri.kind === 'Namespace' && obj.spec?.finalizers?.length) return false;
    return true;
  }

  planDelete(ri: ResourceInfo, obj: KubeObject, opts: DeleteOptions, now: Date): { object?: KubeObject } {
    const marked = deepCopy(obj);
    const m = marked.metadata;
    if (ri.kind === 'Pod') {
      const grace = podGrace(obj, opts);
      const terminal = obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed';
      // Unbound or finished pods have nothing to stop: Kubernetes deletes them at once.
      const graceful = grace > 0 && !!obj.spec?.nodeName && !terminal;
      if (!graceful && this.finalized(ri, obj)) return {};
      const until = new Date(now.getTime() + (graceful ? grace * 1000 : 0));
      if (!m.deletionTimestamp || new Date(m.deletionTimestamp) > until) {
        m.deletionTimestamp = nowRfc3339(until);
        m.deletionGracePeriodSeconds = graceful ? grace : 0;
      }
      return { object: marked };
    }
    // Orphan and Foreground deletion are finalizers the garbage collector works off (and removes).
    const gcFinalizer = propagationFinalizer(opts);
    if (gcFinalizer && !m.deletionTimestamp && !(m.finalizers ?? []).includes(gcFinalizer)) m.finalizers = [...(m.finalizers ?? []), gcFinalizer];
    if (this.finalized(ri, marked)) return {};
    if (m.deletionTimestamp) return { object: marked };
    m.deletionTimestamp = nowRfc3339(now);
    m.deletionGracePeriodSeconds = 0;
    if (ri.kind === 'Namespace') marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
    return { object: marked };
  }

  afterDelete(ri: ResourceInfo, obj: KubeObject): void {
    if (ri.kind === 'Service') this.releaseService(obj);
  }

  private async checkNamespace(reg: Registry, ns: string): Promise<void> {
    let nsObj: KubeObject;
    try {
      nsObj = await reg.get(NAMESPACES, undefined, ns);
    } catch (e) {
      if (isNotFound(e)) throw new ApiError('NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
      throw e;
    }
    if (nsObj.metadata.deletionTimestamp)
      throw new ApiError('Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`);
  }

  /** Steps: 1 keep old addresses, 2 allocate ClusterIP, 3 allocate or release node ports. */
  private allocateService(svc: KubeObject, old: KubeObject | undefined): void {
    const spec = (svc.spec ??= {});
    const name = svc.metadata.name;
    if (old) {
      if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
      if (!spec.clusterIPs?.length && old.spec?.clusterIPs) spec.clusterIPs = old.spec.clusterIPs;
    } else if (spec.type !== 'ExternalName') {
      if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
      else {
        const ip = this.serviceIps.allocate(spec.clusterIP || spec.clusterIPs?.[0] || undefined, {
          serviceName: name,
          field: spec.clusterIP ? 'spec.clusterIP' : 'spec.clusterIPs',
        });
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }
    const wantsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const oldPorts: { port: number; nodePort?: number }[] = old?.spec?.ports ?? [];
    const keep = new Set<number>();
    if (wantsNodePorts) {
      (spec.ports ?? []).forEach((p: { port: number; nodePort?: number }, i: number) => {
        const prior = oldPorts.find((o) => o.nodePort && (o.nodePort === p.nodePort || (!p.nodePort && o.port === p.port)));
        if (prior?.nodePort) p.nodePort = prior.nodePort;
        else p.nodePort = this.nodePorts.allocate(p.nodePort || undefined, { serviceName: name, field: `spec.ports[${i}].nodePort` });
        keep.add(p.nodePort!);
      });
    } else for (const p of spec.ports ?? []) delete p.nodePort;
    for (const o of oldPorts) if (o.nodePort && !keep.has(o.nodePort)) this.nodePorts.release(o.nodePort);
  }

  private releaseService(svc: KubeObject): void {
    for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== 'None') this.serviceIps.release(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.nodePorts.release(p.nodePort);
  }
}

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

function propagationFinalizer(opts: DeleteOptions): string | undefined {
  if (opts.propagationPolicy === 'Orphan') return FINALIZER_ORPHAN;
  if (opts.propagationPolicy === 'Foreground') return FINALIZER_FOREGROUND;
  return undefined;
}

function podGrace(pod: KubeObject, opts: DeleteOptions): number {
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds !== null) return Math.max(0, opts.gracePeriodSeconds);
  return pod.spec?.terminationGracePeriodSeconds ?? 30;
}
