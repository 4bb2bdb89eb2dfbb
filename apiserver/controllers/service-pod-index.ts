// Which Services select a pod, for the endpoint controllers' pod watch: a pod event enqueues the
// Services that select it now AND those that selected it before (a relabelled pod must leave).
// Fed from the controllers' own Service watch; in memory only. runServiceController() wires both
// watches to one index for the Endpoints and EndpointSlice controllers.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry } from '../registry/types.js';
import { selectsPod } from './endpoints-plan.js';
import { runController, type ControllerHandle, type ControllerWatch } from './run-controller.js';

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class ServicePodIndex {
  private readonly services = new Map<string, Map<string, KubeObject>>();
  private readonly lastKeys = new Map<string, string[]>();

  /** Service watch event; returns the Service's key. */
  service(svc: KubeObject, type: string): string {
    const ns = svc.metadata.namespace ?? '';
    let m = this.services.get(ns);
    if (!m) this.services.set(ns, (m = new Map()));
    if (type === 'DELETED') m.delete(svc.metadata.name ?? '');
    else m.set(svc.metadata.name ?? '', svc);
    return keyOf(svc);
  }

  /** Pod watch event; returns the keys of every Service that selects or selected it. */
  pod(pod: KubeObject, type: string): string[] {
    const podKey = keyOf(pod);
    const now = type === 'DELETED' ? [] : [...(this.services.get(pod.metadata.namespace ?? '')?.values() ?? [])].filter((s) => selectsPod(s, pod)).map(keyOf);
    const before = this.lastKeys.get(podKey) ?? [];
    if (now.length > 0) this.lastKeys.set(podKey, now);
    else this.lastKeys.delete(podKey);
    return [...new Set([...before, ...now])];
  }
}

const SERVICES = resourceFor('', 'services')!;
const PODS = resourceFor('', 'pods')!;

export interface ServiceControllerOptions {
  signal: AbortSignal;
  log: Logger;
  resyncMs?: number;
  workers?: number;
}

/** A controller keyed by Service (ns/name), woken by its Service and the pods it selects (or did). */
export function runServiceController(
  registry: Registry,
  name: string,
  opts: ServiceControllerOptions,
  sync: (key: string) => Promise<void>,
  extraWatches: ControllerWatch[] = [],
): ControllerHandle {
  const index = new ServicePodIndex();
  return runController({
    name,
    registry,
    signal: opts.signal,
    log: opts.log,
    resyncMs: opts.resyncMs,
    workers: opts.workers ?? 2,
    watches: [
      { ri: SERVICES, keyOf: (s, type) => index.service(s, type) },
      { ri: PODS, keyOf: (p, type) => index.pod(p, type) },
      ...extraWatches,
    ],
    sync,
  });
}
