// Pod QoS class exactly as Kubernetes derives it: only cpu and memory count, init containers too.
import { tryParseQuantity } from './quantity.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const COMPUTE = ['cpu', 'memory'];

export function computeQosClass(spec: any): QosClass {
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  let guaranteed = true;
  for (const c of containers) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    for (const r of COMPUTE) {
      const q = tryParseQuantity(req[r]);
      if (q !== undefined && q !== 0) requests[r] = (requests[r] ?? 0) + q;
    }
    const seen = new Set<string>();
    for (const r of COMPUTE) {
      const q = tryParseQuantity(lim[r]);
      if (q !== undefined && q !== 0) {
        seen.add(r);
        limits[r] = (limits[r] ?? 0) + q;
      }
    }
    // every container needs both cpu and memory limits to be Guaranteed
    if (seen.size !== COMPUTE.length) guaranteed = false;
  }
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return 'BestEffort';
  if (Object.keys(requests).length !== Object.keys(limits).length) guaranteed = false;
  if (guaranteed) {
    for (const r of Object.keys(requests)) {
      if (limits[r] === undefined || limits[r] !== requests[r]) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && Object.keys(limits).length === COMPUTE.length ? 'Guaranteed' : 'Burstable';
}
