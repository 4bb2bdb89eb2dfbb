// Pure core shared by the Endpoints and EndpointSlice controllers: which pods back a Service, on
// which resolved ports, ready or not. Both controllers render the same groups, so `kubectl get ep`
// and `kubectl get endpointslices` never disagree.
import type { KubeObject } from '../../api/types.js';

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
}

export interface PodEndpoint {
  ip: string;
  /** Ready condition True (or the Service publishes not-ready addresses) and not terminating */
  ready: boolean;
  /** Ready condition True, terminating or not (EndpointSlice `serving`) */
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

/** Endpoints sharing one resolved port set (a named targetPort may resolve differently per pod). */
export interface EndpointGroup {
  ports: EndpointPort[];
  endpoints: PodEndpoint[];
}

/** True for a Service whose endpoints the controllers manage (it has a non-empty selector). */
export function managesEndpoints(svc: KubeObject): boolean {
  const sel = svc.spec?.selector;
  return svc.spec?.type !== 'ExternalName' && !!sel && typeof sel === 'object' && Object.keys(sel).length > 0;
}

export function selectsPod(svc: KubeObject, pod: KubeObject): boolean {
  if (!managesEndpoints(svc) || svc.metadata.namespace !== pod.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => labels[k] === v);
}

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/**
 * The container port a Service port sends to on this pod: a number as is; a name looked up among
 * the pod's container ports with the same protocol (undefined when the pod does not have it).
 */
export function resolveTargetPort(svcPort: { port: number; targetPort?: number | string; protocol?: string }, pod: KubeObject): number | undefined {
  const tp = svcPort.targetPort ?? svcPort.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  const proto = svcPort.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === tp && (p.protocol ?? 'TCP') === proto) return p.containerPort;
    }
  }
  return undefined;
}

// As ShouldPodBeInEndpoints: no IP or a terminal phase never; terminating only when the Service
// publishes not-ready addresses.
function eligible(pod: KubeObject, publishNotReady: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  return !pod.metadata.deletionTimestamp || publishNotReady;
}

const portsKey = (ports: EndpointPort[]): string => ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).join(',');

/** Groups of endpoints for a Service from every pod in its namespace, in a stable order. */
export function computeEndpointGroups(svc: KubeObject, pods: Iterable<KubeObject>): EndpointGroup[] {
  if (!managesEndpoints(svc)) return [];
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const svcPorts: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }> = svc.spec?.ports ?? [];
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (!selectsPod(svc, pod) || !eligible(pod, publishNotReady)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svcPorts) {
      const port = resolveTargetPort(sp, pod);
      if (port !== undefined) ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
    }
    // A Service with ports none of which this pod has gets no address from it; a headless
    // Service without ports still lists the pod (DNS needs it).
    if (svcPorts.length > 0 && ports.length === 0) continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    const serving = isPodReady(pod);
    const spec = pod.spec ?? {};
    const ep: PodEndpoint = {
      ip: String(pod.status.podIP),
      ready: (serving || publishNotReady) && (!terminating || publishNotReady),
      serving,
      terminating,
      ...(spec.nodeName ? { nodeName: String(spec.nodeName) } : {}),
      ...(spec.hostname && spec.subdomain === svc.metadata.name ? { hostname: String(spec.hostname) } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    };
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  const out = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  // plain comparisons: localeCompare with options builds a collator per call (seconds at 50k pods)
  const ipNum = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  for (const g of out) g.endpoints.sort((a, b) => ipNum(a.ip) - ipNum(b.ip) || (a.targetRef.name < b.targetRef.name ? -1 : a.targetRef.name > b.targetRef.name ? 1 : 0));
  return out;
}

type Address = { ip: string; nodeName?: string; hostname?: string; targetRef: PodEndpoint['targetRef'] };
const address = (e: PodEndpoint): Address => ({
  ip: e.ip,
  ...(e.hostname ? { hostname: e.hostname } : {}),
  ...(e.nodeName ? { nodeName: e.nodeName } : {}),
  targetRef: e.targetRef,
});

/** v1 Endpoints subsets: ready pods in addresses, the others in notReadyAddresses. */
export function endpointSubsets(groups: EndpointGroup[]): Record<string, unknown>[] {
  return groups.map((g) => {
    const ready = g.endpoints.filter((e) => e.ready).map(address);
    const notReady = g.endpoints.filter((e) => !e.ready).map(address);
    return {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    };
  });
}

/** Labels Kubernetes puts on a Service's Endpoints/EndpointSlices: the Service's own, plus headless. */
export function endpointLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}
