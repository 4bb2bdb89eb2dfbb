// EndpointSlice controller: the discovery.k8s.io/v1 view of the same endpoint groups the Endpoints
// controller writes. Slices are named deterministically (Service name + hash of the port set and
// chunk), so a resync rewrites the same objects instead of creating new ones; at most 100
// endpoints per slice; a Service with no endpoints keeps one empty placeholder slice, as Kubernetes.
import { createHash } from 'node:crypto';
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { computeEndpointGroups, endpointLabels, managesEndpoints, type EndpointGroup } from './endpoints-plan.js';
import type { ControllerHandle } from './run-controller.js';
import { runServiceController, type ServiceControllerOptions } from './service-pod-index.js';

export const ENDPOINTSLICE_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:endpointslice-controller', groups: ['system:masters'] };
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const MAX_PER_SLICE = 100;
const SERVICES = resourceFor('', 'services')!;
const PODS = resourceFor('', 'pods')!;
const SLICES = resourceFor('discovery.k8s.io', 'endpointslices')!;
const write = { user: ENDPOINTSLICE_CONTROLLER_USER, fieldManager: 'endpointslice-controller' };

export type EndpointSliceControllerOptions = ServiceControllerOptions;

const shortHash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 8);

function slice(svc: KubeObject, g: EndpointGroup | undefined, chunk: number): KubeObject {
  const ports = g?.ports ?? [];
  const endpoints = (g?.endpoints ?? []).slice(chunk * MAX_PER_SLICE, (chunk + 1) * MAX_PER_SLICE);
  const portKey = ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).join(',');
  const name = `${svc.metadata.name}-${shortHash(`${portKey}#${chunk}`)}`;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: svc.metadata.namespace,
      labels: { ...endpointLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: MANAGED_BY },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      targetRef: e.targetRef,
    })),
    ports,
  };
}

/** The slices a Service should have. Pure. */
export function desiredSlices(svc: KubeObject, pods: Iterable<KubeObject>): KubeObject[] {
  const groups = computeEndpointGroups(svc, pods);
  if (groups.length === 0) return [slice(svc, undefined, 0)];
  return groups.flatMap((g) => Array.from({ length: Math.ceil(g.endpoints.length / MAX_PER_SLICE) }, (_, i) => slice(svc, g, i)));
}

const content = (s: KubeObject): string => JSON.stringify([s.metadata.labels ?? {}, s.addressType, s.endpoints ?? [], s.ports ?? []]);

export async function syncEndpointSlices(registry: Registry, key: string, log: Logger): Promise<void> {
  const [ns, name] = key.split('/');
  // 1. The Service, if any; without one (or without a selector) our slices for it go.
  let svc: KubeObject | undefined;
  try {
    svc = await registry.get(SERVICES, ns, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const want = svc && managesEndpoints(svc) ? desiredSlices(svc, (await registry.list(PODS, ns)).items) : [];
  // 2. What exists, by our labels.
  const have = (await registry.list(SLICES, ns, { labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${MANAGED_BY}` })).items;
  const haveByName = new Map(have.map((s) => [s.metadata.name!, s]));
  // 3. Create or update the changed ones, then delete the stale ones.
  for (const s of want) {
    const cur = haveByName.get(s.metadata.name!);
    if (cur && content(cur) === content(s)) continue;
    await registry.guaranteedUpdate(SLICES, ns, s.metadata.name!, (c) => (c ? { ...c, metadata: { ...c.metadata, labels: s.metadata.labels, ownerReferences: s.metadata.ownerReferences }, addressType: s.addressType, endpoints: s.endpoints, ports: s.ports } : s), { ...write, allowCreate: true });
    log.debug({ service: key, slice: s.metadata.name }, 'endpointslice written');
  }
  const wanted = new Set(want.map((s) => s.metadata.name));
  for (const s of have) {
    if (wanted.has(s.metadata.name)) continue;
    try {
      await registry.delete(SLICES, ns, s.metadata.name!, write);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export function startEndpointSliceController(registry: Registry, opts: EndpointSliceControllerOptions): ControllerHandle {
  return runServiceController(registry, 'endpointslice', opts, (key) => syncEndpointSlices(registry, key, opts.log), [
    // a slice deleted or edited by hand is put back
    { ri: SLICES, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`, keyOf: (s) => (s.metadata.labels?.[SERVICE_NAME_LABEL] ? `${s.metadata.namespace}/${s.metadata.labels[SERVICE_NAME_LABEL]}` : undefined) },
  ]);
}
