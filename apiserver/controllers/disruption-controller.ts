// Disruption controller: keeps every PodDisruptionBudget's status (expected / healthy / desired pods,
// disruptionsAllowed, the DisruptionAllowed condition) current from the pods it covers, for
// `kubectl get pdb`. The eviction subresource computes the same budget itself at eviction time.
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { jsonEqual } from '../registry/codec.js';
import { computeBudget } from '../registry/disruption-budget.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { keyOf, PODS, splitKey } from './owned-pods.js';
import { runController, type ControllerHandle } from './run-controller.js';

const PDBS = resourceFor('policy', 'poddisruptionbudgets')!;
export const DISRUPTION_USER: UserInfo = { name: 'system:serviceaccount:kube-system:disruption-controller', groups: ['system:masters'] };
const write = { user: DISRUPTION_USER, fieldManager: 'disruption-controller', subresource: 'status' };

/** The status a budget should show. Pure (now only stamps a changed condition). */
export function pdbStatus(pdb: KubeObject, pods: KubeObject[], now: string): Record<string, any> {
  const b = computeBudget(pdb, pods);
  const allowed = b.disruptionsAllowed > 0;
  const old = (pdb.status?.conditions ?? []).find((c: { type: string }) => c.type === 'DisruptionAllowed');
  const status = allowed ? 'True' : 'False';
  return {
    observedGeneration: pdb.metadata.generation,
    disruptionsAllowed: b.disruptionsAllowed,
    currentHealthy: b.currentHealthy,
    desiredHealthy: b.desiredHealthy,
    expectedPods: b.expectedPods,
    disruptedPods: pdb.status?.disruptedPods,
    conditions: [{
      type: 'DisruptionAllowed',
      status,
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime: old?.status === status ? old.lastTransitionTime : now,
    }],
  };
}

export function startDisruptionController(registry: Registry, opts: { signal: AbortSignal; log: Logger }): ControllerHandle {
  const byNamespace = new Map<string, Set<string>>();
  return runController({
    name: 'disruption',
    registry,
    signal: opts.signal,
    log: opts.log,
    resyncMs: 30_000,
    watches: [
      {
        ri: PDBS,
        keyOf: (pdb, type) => {
          const ns = pdb.metadata.namespace!;
          const set = byNamespace.get(ns) ?? new Set<string>();
          if (type === 'DELETED') set.delete(keyOf(pdb));
          else set.add(keyOf(pdb));
          byNamespace.set(ns, set);
          return keyOf(pdb);
        },
      },
      { ri: PODS, keyOf: (pod) => [...(byNamespace.get(pod.metadata.namespace!) ?? [])] },
    ],
    sync: async (key) => {
      const { namespace, name } = splitKey(key);
      let pdb: KubeObject;
      try {
        pdb = await registry.get(PDBS, namespace, name);
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      const pods = (await registry.list(PODS, namespace)).items;
      const next = pdbStatus(pdb, pods, nowRfc3339());
      if (next.disruptedPods === undefined) delete next.disruptedPods;
      if (jsonEqual(next, pdb.status ?? {})) return;
      await registry.guaranteedUpdate(PDBS, namespace, name, (cur) => {
        cur!.status = pdbStatus(cur!, pods, nowRfc3339());
        if (cur!.status.disruptedPods === undefined) delete cur!.status.disruptedPods;
        return cur!;
      }, write).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
    },
  });
}
