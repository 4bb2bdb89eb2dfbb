// `kinglet apiserver`: prepare the data dir, start the server, announce the URL on stdout (the one
// line scripts and tests wait for), and close gracefully on SIGTERM/SIGINT.
import { isIP } from 'node:net';
import type { ApiserverConfig } from '../../apiserver/config.js';
import { DEFAULT_CLUSTER_CIDR, DEFAULT_LISTEN, DEFAULT_SERVICE_CIDR, parseListen } from '../../apiserver/listen-defaults.js';
import type { RunningApiserver } from '../../apiserver/main.js';
import { parseCidr } from '../../lib/cidr.js';
import { parseDuration } from '../../lib/duration.js';
import { UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { stringFlag, type CliIO, type Command } from '../command.js';

export interface ApiserverDeps {
  start(cfg: ApiserverConfig): Promise<RunningApiserver>;
  /** registers the shutdown handler for SIGTERM and SIGINT */
  onShutdownSignal(handler: (signal: string) => void): void;
}

const spec: CommandSpec = {
  name: 'apiserver',
  summary: 'Run the kinglet API server (Kubernetes REST API over HTTPS).',
  description: [
    'On first start DIR is created (mode 0700) with a cluster CA, a serving certificate, an admin token',
    'and DIR/admin.kubeconfig; later starts reuse them. When ready, prints exactly one line to stdout:',
    '  kinglet apiserver listening on https://HOST:PORT',
    'SIGTERM or SIGINT closes the server gracefully.',
  ].join('\n'),
  flags: [
    { name: 'data-dir', type: 'string', valueName: 'DIR', required: true, description: 'directory for credentials and the database' },
    { name: 'listen', type: 'string', valueName: 'HOST:PORT', default: DEFAULT_LISTEN, description: 'address to serve HTTPS on (port 0 picks a free port)' },
    { name: 'agent-listen', type: 'string', valueName: 'HOST:PORT', description: 'address of the gRPC service agents dial (default: the --listen host, port + 1)' },
    { name: 'etcd-endpoints', type: 'string', valueName: 'URLS', repeated: true, description: 'comma-separated etcd URLs; empty uses the SQLite database in DIR' },
    { name: 'service-cidr', type: 'string', valueName: 'CIDR', default: DEFAULT_SERVICE_CIDR, description: 'range for Service ClusterIPs' },
    { name: 'cluster-cidr', type: 'string', valueName: 'CIDR', default: DEFAULT_CLUSTER_CIDR, description: 'range split into one /24 podCIDR per node' },
    { name: 'node-monitor-grace-period', type: 'string', valueName: 'DURATION', default: '40s', description: 'how long a node may stay silent before it is marked NotReady' },
    { name: 'default-not-ready-toleration-seconds', type: 'string', valueName: 'N', default: '300', description: 'how long pods without their own toleration stay on a not-ready node' },
    { name: 'default-unreachable-toleration-seconds', type: 'string', valueName: 'N', default: '300', description: 'how long pods without their own toleration stay on an unreachable node' },
  ],
};

/** Flags → prepareDataDir options; bad values are usage errors (exit 2). */
export function apiserverOptions(args: ParsedArgs) {
  const usage = (msg: string) => new UsageError(msg, spec.name);
  let listen: { host: string; port: number };
  try {
    listen = parseListen(stringFlag(args, 'listen'));
  } catch (e) {
    throw usage(`--listen: ${(e as Error).message}`);
  }
  const cidr = (flag: string): string => {
    try {
      return parseCidr(stringFlag(args, flag)).text;
    } catch (e) {
      throw usage(`--${flag}: ${(e as Error).message}`);
    }
  };
  let graceMs: number;
  try {
    graceMs = parseDuration(stringFlag(args, 'node-monitor-grace-period'));
  } catch (e) {
    throw usage(`--node-monitor-grace-period: ${(e as Error).message}`);
  }
  if (graceMs <= 0) throw usage('--node-monitor-grace-period must be positive');
  const seconds = (flag: string): number => {
    const v = stringFlag(args, flag);
    if (!/^\d+$/.test(v)) throw usage(`--${flag}: "${v}" is not a whole number of seconds`);
    return Number(v);
  };
  const raw = args.flags['etcd-endpoints'];
  const etcdEndpoints = (Array.isArray(raw) ? raw : [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const u of etcdEndpoints) {
    if (!/^https?:\/\/[^/]+/.test(u)) throw usage(`--etcd-endpoints: "${u}" is not an http(s):// URL`);
  }
  const agentListenFlag = args.flags['agent-listen'];
  const agentListen = typeof agentListenFlag === 'string' ? agentListenFlag : undefined;
  if (agentListen !== undefined) {
    try {
      parseListen(agentListen);
    } catch (e) {
      throw usage(`--agent-listen: ${(e as Error).message}`);
    }
  }
  return {
    dataDir: stringFlag(args, 'data-dir'),
    ...(agentListen !== undefined ? { agentListen } : {}),
    listenHost: listen.host,
    listenPort: listen.port,
    etcdEndpoints,
    serviceCidr: cidr('service-cidr'),
    clusterCidr: cidr('cluster-cidr'),
    nodeMonitorGracePeriodMs: graceMs,
    defaultNotReadyTolerationSeconds: seconds('default-not-ready-toleration-seconds'),
    defaultUnreachableTolerationSeconds: seconds('default-unreachable-toleration-seconds'),
  };
}

/** The announced URL keeps the listen host as given (bracketed when IPv6) with the real port. */
export function listeningUrl(listenHost: string, port: number): string {
  return `https://${isIP(listenHost) === 6 ? `[${listenHost}]` : listenHost}:${port}`;
}

const defaultDeps: ApiserverDeps = {
  // Loaded lazily so `kinglet version` or `kubeconfig` never load the store and HTTP stack.
  start: async (cfg) => (await import('../../apiserver/main.js')).startApiserver(cfg),
  onShutdownSignal(handler) {
    process.on('SIGTERM', () => handler('SIGTERM'));
    process.on('SIGINT', () => handler('SIGINT'));
  },
};

export async function runApiserver(args: ParsedArgs, io: CliIO, deps: ApiserverDeps = defaultDeps): Promise<number> {
  const opts = apiserverOptions(args);
  let server: RunningApiserver;
  try {
    // loaded here, not at the top: every kinglet process (the agent too) loads this file
    const { clientUrl, prepareDataDir, writeAdminKubeconfig } = await import('../../apiserver/config.js');
    const cfg = await prepareDataDir(opts);
    server = await deps.start(cfg);
    // 1. kubeconfig first: whoever reads the line may immediately use DIR/admin.kubeconfig.
    await writeAdminKubeconfig(cfg.dataDir, clientUrl(opts.listenHost, server.port));
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return 1;
  }
  // 2. Register for shutdown before announcing, so a signal right after the line is handled.
  const done = new Promise<number>((resolve) => {
    let closing = false;
    deps.onShutdownSignal((signal) => {
      if (closing) {
        io.stderr(`received ${signal} again, exiting without waiting\n`);
        resolve(1);
        return;
      }
      closing = true;
      server.close().then(
        () => resolve(0),
        (e: unknown) => {
          io.stderr(`error: closing the apiserver: ${(e as Error).message}\n`);
          resolve(1);
        },
      );
    });
  });
  // 3. The single stdout line.
  io.stdout(`kinglet apiserver listening on ${listeningUrl(opts.listenHost, server.port)}\n`);
  return done;
}

export const apiserverCommand: Command = {
  spec,
  run: (args, io) => runApiserver(args, io),
};
