// Wiring of the pod network for agent/main.ts: the real `ip` and iptables edges, this node's facts,
// and the Node objects the control-plane stream carries (every node's podCIDR and InternalIP).
import type { Logger } from '../../lib/logger.js';
import type { ClusterSettings, DesiredState } from '../apiclient/types.js';
import type { AgentConfig } from '../config.js';
import { ExecIptables } from '../proxy/iptables.js';
import { ExecIpNet } from './ip.js';
import { PodNetwork } from './pod-network.js';

export function startPodNetwork(cfg: AgentConfig, cluster: ClusterSettings, desired: DesiredState, log: Logger): { stop(): Promise<void> } {
  const net = new PodNetwork({
    self: { nodeName: cfg.nodeName, nodeIp: cfg.nodeIp, podCidr: cluster.podCidr, clusterCidr: cluster.clusterCidr, serviceCidr: cluster.serviceCidr },
    ip: new ExecIpNet(),
    iptables: new ExecIptables(),
    listNodes: () => desired.nodes(),
    log,
  });
  // Nothing before the first full snapshot: an empty node list then would delete every route a
  // previous agent left, cutting cross-node traffic while the apiserver is away. After it, a
  // snapshot or any Node delta may move routes; everything else leaves them alone.
  let started = false;
  const startOnce = (): void => {
    if (started || !desired.synced()) return;
    started = true;
    net.start();
  };
  const off = desired.onChange((changes, snapshot) => {
    if (!started) return startOnce();
    if (snapshot || changes.some((c) => c.kind === 'Node')) net.nudge();
  });
  startOnce();
  return {
    async stop() {
      off();
      await net.stop();
    },
  };
}
