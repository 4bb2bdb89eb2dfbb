// Which Services select a pod, for the endpoint controllers' pod watch: a pod event enqueues the
// Services that select it now AND those that selected it before (a relabelled pod must leave).
// Fed from the controllers' own Service watch; in memory only.
import type { KubeObject } from '../../api/types.js';
import { selectsPod } from './endpoints-plan.js';

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
