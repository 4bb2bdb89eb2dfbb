// Composition of the service proxy for agent/main.ts: the Proxier fed from the desired-state
// cache (gated on its first snapshot), re-synced on every Service/Endpoints change.
import type { ClusterSettings, DesiredState } from '../apiclient/types.js';
import type { Logger } from '../../lib/logger.js';
import { ExecIptables, type Iptables } from './iptables.js';
import { Proxier } from './proxier.js';

export interface RunningProxy {
  proxier: Proxier;
  stop(): Promise<void>;
}

export function startProxy(desired: DesiredState, cluster: ClusterSettings, nodeName: string, log: Logger, iptables: Iptables = new ExecIptables()): RunningProxy {
  const proxier = new Proxier({
    iptables,
    clusterCidr: cluster.clusterCidr || '10.244.0.0/16',
    nodeName,
    log,
    source: { snapshot: () => (desired.synced() ? { services: desired.list('Service'), endpoints: desired.list('Endpoints') } : undefined) },
  });
  const off = desired.onChange((changes, snapshot) => {
    if (snapshot || changes.some((c) => c.kind === 'Service' || c.kind === 'Endpoints')) proxier.requestSync();
  });
  proxier.start();
  return {
    proxier,
    async stop() {
      off();
      await proxier.stop();
    },
  };
}
