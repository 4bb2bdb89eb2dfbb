// Wiring of the pod network for agent/main.ts: the real `ip` and iptables edges, this node's facts,
// and the interim node poller as the source of Node objects.
import type { Logger } from '../../lib/logger.js';
import type { ClusterSettings } from '../apiclient/types.js';
import type { AgentConfig } from '../config.js';
import { ExecIptables } from '../proxy/iptables.js';
import { ExecIpNet } from './ip.js';
import { NodePoller } from './node-poller.js';
import { PodNetwork } from './pod-network.js';

export function startPodNetwork(cfg: AgentConfig, cluster: ClusterSettings, log: Logger): { stop(): Promise<void> } {
  // TODO(lead): replace the poller with desired.nodes() once the stream carries Nodes (h-proxy).
  let net: PodNetwork | undefined;
  const poller = new NodePoller({ server: cfg.server, dataDir: cfg.dataDir, nodeName: cfg.nodeName, log, onChange: () => net?.nudge() });
  net = new PodNetwork({
    self: { nodeName: cfg.nodeName, nodeIp: cfg.nodeIp, podCidr: cluster.podCidr, clusterCidr: cluster.clusterCidr, serviceCidr: cluster.serviceCidr },
    ip: new ExecIpNet(),
    iptables: new ExecIptables(),
    listNodes: () => poller.list(),
    log,
  });
  net.start();
  poller.start();
  return {
    async stop() {
      poller.stop();
      await net?.stop();
    },
  };
}
