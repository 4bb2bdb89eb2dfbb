// Endpoints controller: every Service with a selector gets an Endpoints object of the same name
// listing its pods (ready → addresses, others → notReadyAddresses), rewritten only when it
// changes. A pod's readiness flip is one pod event → one sync of the Services selecting it.
// Endpoints are not watched: a user may create Endpoints before their selector-less Service, and
// a key from such an event would find no Service and delete them; hand edits are undone by resync.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { computeEndpointGroups, endpointLabels, endpointSubsets, managesEndpoints } from './endpoints-plan.js';
import type { ControllerHandle } from './run-controller.js';
import { runServiceController, type ServiceControllerOptions } from './service-pod-index.js';

export const ENDPOINT_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:endpoint-controller', groups: ['system:masters'] };
const SERVICES = resourceFor('', 'services')!;
const PODS = resourceFor('', 'pods')!;
const ENDPOINTS = resourceFor('', 'endpoints')!;
const write = { user: ENDPOINT_CONTROLLER_USER, fieldManager: 'endpoint-controller' };

export type EndpointsControllerOptions = ServiceControllerOptions;

/** The Endpoints object a Service should have, from the pods of its namespace. Pure. */
export function desiredEndpoints(svc: KubeObject, pods: Iterable<KubeObject>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: endpointLabels(svc) },
    subsets: endpointSubsets(computeEndpointGroups(svc, pods)),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** One reconcile of the Endpoints of Service `ns/name`. */
export async function syncEndpoints(registry: Registry, key: string, log: Logger): Promise<void> {
  const [ns, name] = key.split('/');
  // 1. The Service: gone → its Endpoints go too; without a selector the Endpoints are the user's.
  let svc: KubeObject;
  try {
    svc = await registry.get(SERVICES, ns, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    try {
      await registry.delete(ENDPOINTS, ns, name, write);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return;
  }
  if (!managesEndpoints(svc)) return;
  // 2. Plan from the namespace's pods.
  const pods = (await registry.list(PODS, ns)).items;
  const want = desiredEndpoints(svc, pods);
  // 3. Write only a difference (a no-op write would wake every agent's proxy, and our own watch).
  const upToDate = (cur: KubeObject | undefined): cur is KubeObject =>
    !!cur && same(cur.subsets ?? [], want.subsets) && same(cur.metadata.labels ?? {}, want.metadata.labels);
  let existing: KubeObject | undefined;
  try {
    existing = await registry.get(ENDPOINTS, ns, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (upToDate(existing)) return;
  let changed = false;
  await registry.guaranteedUpdate(ENDPOINTS, ns, name, (cur) => {
    if (upToDate(cur)) return cur;
    changed = true;
    const base = cur ?? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } };
    return { ...base, metadata: { ...base.metadata, labels: want.metadata.labels }, subsets: want.subsets };
  }, { ...write, allowCreate: true });
  if (changed) log.debug({ service: key, subsets: (want.subsets as unknown[]).length }, 'endpoints updated');
}

export function startEndpointsController(registry: Registry, opts: EndpointsControllerOptions): ControllerHandle {
  return runServiceController(registry, 'endpoints', opts, (key) => syncEndpoints(registry, key, opts.log));
}
