// The agent's composition root: Docker runtime, control-plane link, pod network, pod workers with
// their dependencies, status manager, events, PLEG, GC, log serving and the node reporter. Loops
// never throw to the top; stop() halts the loops and closes the link but never stops containers:
// pods keep running while the agent is away, and the next agent adopts them.
import { cpus, totalmem } from 'node:os';
import type { KubeObject } from '../api/types.js';
import { logger, type Logger } from '../lib/logger.js';
import type { ControlPlaneLink, DesiredChange } from './apiclient/types.js';
import { podNetworkSpec, podsDir, type AgentConfig } from './config.js';
import { DefaultContainerConfigBuilder } from './container-config/builder.js';
import { LinkEventRecorder } from './events.js';
import { GarbageCollector } from './gc/gc.js';
import { serveLogs } from './logs/serve-logs.js';
import { Pleg } from './pleg/pleg.js';
import { RuntimePodLister } from './pleg/runtime-cache.js';
import { BackoffTable } from './podworker/backoff.js';
import type { NodeFacts } from './podworker/deps.js';
import { withForcedGrace } from './podworker/instances.js';
import { PodWorkers } from './podworker/pod-workers.js';
import { HookRunner } from './prober/lifecycle-hooks.js';
import { ProberManager, type ProberOptions } from './prober/prober-manager.js';
import type { SyncDeps } from './podworker/sync-types.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import type { RuntimePod } from './runtime/runtime.js';
import { ensureSandboxImage, SANDBOX_IMAGE } from './runtime/sandbox-image.js';
import { StatusManager } from './status-manager.js';
import { HostVolumeManager } from './volumes/volume-manager.js';
import { connectControlPlane, type ConnectOptions } from './apiclient/link.js';
import { readResolvConfFile } from './dns/resolv-conf.js';
import type { ClusterDns } from './dns/cluster-dns.js';
import { startNodeDns } from './dns/node-dns.js';
import { startNodeReporter, type NodeReporter, type NodeReporterOptions } from './node/node-reporter.js';
import { startPodNetwork } from './network/start.js';
import { startProxy } from './proxy/start-proxy.js';
import { BridgeHairpin } from './network/hairpin.js';
import { ExecIpNet } from './network/ip.js';

/** Seams for tests (an in-memory link) and for pieces that may be absent. */
export interface AgentSeams {
  connect?(opts: ConnectOptions): Promise<ControlPlaneLink>;
  /** null: run without a node reporter */
  nodeReporter?: ((opts: NodeReporterOptions) => Promise<NodeReporter>) | null;
  /** every completed probe (the probe benchmark's latencies) */
  onProbe?: ProberOptions['observed'];
}

export interface RunningAgent {
  nodeName: string;
  link: ControlPlaneLink;
  workers: PodWorkers;
  gc: GarbageCollector;
  /** the node's cluster DNS, unless disabled */
  dns?: ClusterDns;
  /** stop loops and close the link; containers keep running */
  stop(): Promise<void>;
}

/** Pods referencing a ConfigMap/Secret by name (volumes, env, envFrom, projected, pull secrets). */
function referencedBy(pod: KubeObject, kind: 'ConfigMap' | 'Secret', name: string): boolean {
  // cheap and complete enough: the name as a JSON string anywhere in the spec; a false positive
  // only costs one extra (idempotent) sync
  return kind !== undefined && JSON.stringify(pod.spec ?? {}).includes(JSON.stringify(name));
}

/** grace for pods that vanished from the API without a graceful deletion (kubelet's minimum) */
const FORCED_GRACE_SEC = 2;

export async function startAgent(cfg: AgentConfig, log: Logger = logger('agent', { node: cfg.nodeName }), seams: AgentSeams = {}): Promise<RunningAgent> {
  // 1. Runtime: the Docker Engine must answer before anything else; the sandbox image is built now
  //    (in the background) so the first pod does not pay for it.
  const runtime = new DockerRuntime({ dockerHost: cfg.dockerHost, log: log.child({ component: 'runtime' }) });
  let dockerVersion: { version: string };
  try {
    dockerVersion = await runtime.version();
  } catch (e) {
    throw new Error(`cannot reach the Docker Engine at ${cfg.dockerHost}: ${(e as Error).message}`);
  }
  const sandboxReady = ensureSandboxImage(runtime).catch((e) => log.warn({ err: (e as Error).message }, 'sandbox image build failed; retried per pod'));

  // 2. Control plane: join (token → node credential) or reuse DIR's credential, then the stream.
  const link = await (seams.connect ?? connectControlPlane)({ server: cfg.server, token: cfg.token, nodeName: cfg.nodeName, dataDir: cfg.dataDir, log: log.child({ component: 'apiclient' }) });
  const desired = link.desired;

  // 3. Pod network: a Docker bridge with this node's podCIDR, created on first need and retried.
  const net = podNetworkSpec(link.cluster.podCidr, cfg.dockerHost);
  let netReady: Promise<void> | undefined;
  const ensurePodNetwork = (): Promise<void> => {
    netReady ??= runtime.ensurePodNetwork(net.name, net.subnet, net.gateway, net.bridge, { masquerade: cfg.podNetwork === 'none' }).then(
      () => undefined,
      (e) => {
        netReady = undefined;
        throw e;
      },
    );
    return netReady;
  };
  void ensurePodNetwork().catch((e) => log.warn({ err: (e as Error).message }, 'pod network setup failed; retried per pod'));
  // 3b. Cluster DNS for this node's pods, from the same Services/Endpoints the proxy gets.
  const hostDns = readResolvConfFile();
  const dns = startNodeDns(cfg.dns, link.cluster.clusterDns, link.cluster.clusterDomain || 'cluster.local', desired, hostDns, log.child({ component: 'dns' }));
  const podNet = cfg.podNetwork === 'host-gw' ? startPodNetwork(cfg, link.cluster, desired, log.child({ component: 'network' })) : undefined;

  // 4. Pod workers and what they need.
  const lister = new RuntimePodLister(runtime);
  const events = new LinkEventRecorder(link, cfg.nodeName);
  const status = new StatusManager(link);
  const node: NodeFacts = {
    nodeName: cfg.nodeName,
    nodeIp: cfg.nodeIp,
    podNetwork: net.name,
    clusterDns: link.cluster.clusterDns || undefined,
    clusterDomain: link.cluster.clusterDomain || 'cluster.local',
    hostDns,
    allocatableCpu: cpus().length,
    allocatableMemory: totalmem(),
  };
  const deps: SyncDeps = {
    runtime,
    volumes: new HostVolumeManager({ rootDir: podsDir(cfg), log: log.child({ component: 'volumes' }) }),
    configs: new DefaultContainerConfigBuilder({ onWarning: (pod, reason, message) => events.event(pod, 'Warning', reason, message) }),
    events,
    lookup: desired,
    node,
    backoff: new BackoffTable(),
    now: Date.now,
    log: log.child({ component: 'podworker' }),
    ensurePodNetwork,
  };
  // a pod reaching itself through its Service needs hairpin mode on its bridge port (network/hairpin.ts)
  if (cfg.proxy) {
    const hairpin = new BridgeHairpin(net.bridge, new ExecIpNet(), log.child({ component: 'network' }));
    deps.sandboxStarted = () => hairpin.kick();
    hairpin.kick();
  }
  // probes nudge the pod workers (created right below) when a result flips
  const prober = new ProberManager({ runtime, events, nudge: (uid) => workers.nudge(uid), log: log.child({ component: 'prober' }), nodeIp: cfg.nodeIp, observed: seams.onProbe });
  deps.probes = prober;
  deps.hooks = new HookRunner({ runtime, log: log.child({ component: 'hooks' }) });
  const workers = new PodWorkers({ deps, status, isSynced: () => desired.synced(), getRuntimePod: (uid) => lister.pod(uid), prober });

  // 5. Desired state → workers: a snapshot is a full resync (orphans die only once synced), a delta
  //    touches only its pods; a changed ConfigMap/Secret re-syncs the pods that reference it.
  const onChanges = (changes: DesiredChange[], snapshot: boolean): void => {
    if (snapshot) {
      void workers.syncAll(desired.pods()).catch((e) => log.warn({ err: (e as Error).message }, 'full resync failed'));
      return;
    }
    for (const ch of changes) {
      const m = ch.object.metadata ?? {};
      if (ch.kind === 'Pod' && m.uid) {
        if (ch.type === 'upsert') workers.update(ch.object);
        else {
          // Gone from the API before the agent finished (--grace-period=0 --force, also after a
          // graceful delete began): as the kubelet does, still stop it, but with a short grace.
          workers.remove(m.uid, withForcedGrace(ch.object, FORCED_GRACE_SEC));
          events.forgetPod(m.uid);
        }
      } else if (ch.kind === 'ConfigMap' || ch.kind === 'Secret') {
        for (const p of desired.pods()) {
          if (p.metadata.namespace === m.namespace && referencedBy(p, ch.kind, m.name ?? '')) workers.nudge(p.metadata.uid!);
        }
      }
    }
  };
  const offChange = desired.onChange(onChanges);
  if (desired.synced()) onChanges([], true);

  // 6. PLEG: Docker events nudge at once; a relist every 5 s nudges changed pods, and (once synced)
  //    hands running containers of pods nobody wants to the workers for a graceful stop.
  const orphanCheck = (pods: RuntimePod[]): void => {
    if (!desired.synced()) return;
    const wanted = new Set(desired.pods().map((p) => p.metadata.uid));
    for (const rp of pods) {
      if (wanted.has(rp.uid) || workers.has(rp.uid)) continue;
      if ([...rp.sandboxes, ...rp.containers].some((c) => c.state === 'running')) workers.remove(rp.uid);
    }
  };
  const pleg = new Pleg({ runtime, list: () => lister.list(), nudge: (uid) => workers.nudge(uid), log: log.child({ component: 'pleg' }), relistMs: cfg.relistMs, onRelist: orphanCheck });
  pleg.start();

  // 7. GC: only after the synced gate, never what a desired pod or a live worker still owns.
  const gc = new GarbageCollector({
    runtime,
    list: () => lister.list(),
    keepPod: (uid) => workers.has(uid) || desired.pods().some((p) => p.metadata.uid === uid),
    synced: () => desired.synced(),
    dataRoot: () => runtime.dataRoot(),
    sandboxImage: SANDBOX_IMAGE,
    log: log.child({ component: 'gc' }),
    intervalMs: cfg.gcMs,
  });
  gc.start();

  // 8. Logs over the link's session stream (the node needs no open port).
  link.onLogRequest((req, out, signal) => {
    void serveLogs({ runtime, pods: () => desired.pods(), runtimePod: (uid) => lister.pod(uid), log: log.child({ component: 'logs' }) }, req, out, signal);
  });

  // 9. Service proxy: iptables rules from all Services/Endpoints, once the first snapshot is in.
  const proxy = cfg.proxy ? startProxy(desired, link.cluster, cfg.nodeName, log.child({ component: 'proxy' })) : undefined;

  // 10. Node object, heartbeat lease and conditions.
  let reporter: NodeReporter | undefined;
  const reporterStart = seams.nodeReporter === undefined ? startNodeReporter : seams.nodeReporter;
  try {
    if (reporterStart) reporter = await reporterStart({ link, nodeName: cfg.nodeName, nodeIp: cfg.nodeIp, runtimeVersion: () => runtime.version(), dataDir: cfg.dataDir, log: log.child({ component: 'node' }) });
  } catch (e) {
    log.error({ err: (e as Error).message }, 'node reporter failed to start');
  }
  await sandboxReady;
  log.info({ podCidr: link.cluster.podCidr, network: net.name, docker: dockerVersion.version }, 'agent started');

  return {
    nodeName: cfg.nodeName,
    link,
    workers,
    gc,
    dns,
    async stop() {
      // 1. loops first, so nothing new starts; 2. in-flight syncs are aborted, containers stay
      offChange();
      pleg.stop();
      gc.stop();
      await podNet?.stop();
      reporter?.stop();
      await dns?.stop();
      await proxy?.stop();
      await workers.stop();
      prober.stop();
      await link.close();
      log.info('agent stopped');
    },
  };
}
