// A per-namespace copy of one resource, fed by a controller's watch (its keyOf sees every event),
// so syncs read pods without listing the store each time. It lags writes by one watch event;
// the expectations are what keep that lag from causing double actions.
import type { KubeObject, WatchEvent } from '../../api/types.js';

export class ObjectCache {
  private readonly byNs = new Map<string, Map<string, KubeObject>>();

  /** apply one watch event; returns the previous copy (undefined when new) */
  apply(obj: KubeObject, type: WatchEvent['type']): KubeObject | undefined {
    const ns = obj.metadata.namespace ?? '';
    let m = this.byNs.get(ns);
    const prev = m?.get(obj.metadata.name!);
    if (type === 'DELETED') {
      m?.delete(obj.metadata.name!);
      if (m && m.size === 0) this.byNs.delete(ns);
      return prev;
    }
    if (!m) this.byNs.set(ns, (m = new Map()));
    m.set(obj.metadata.name!, obj);
    return prev;
  }

  list(namespace: string): KubeObject[] {
    return [...(this.byNs.get(namespace)?.values() ?? [])];
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.byNs.get(namespace)?.get(name);
  }
}
