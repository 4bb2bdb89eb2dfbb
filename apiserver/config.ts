// The apiserver's settings and its data-dir bootstrap: DIR (0700) holds the cluster CA, the serving
// certificate, the token table and admin.kubeconfig. First start creates them; later starts reuse
// them (the CA and the admin token are never regenerated). The database is the store's business.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCidr } from '../lib/cidr.js';
import { createAuthenticator, type Authenticator } from './auth/authenticate.js';
import { buildKubeconfig, clientUrl, readKubeconfigFile, writeKubeconfigFile, ADMIN_KUBECONFIG_FILE } from './auth/kubeconfig.js';
import { CA_CERT_FILE, ensurePki } from './auth/pki-files.js';
import { adminToken, ensureTokenFile, readTokenFile } from './auth/token-file.js';
import { readIfExists } from './auth/file-io.js';
import { DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS, DEFAULT_SERVICE_CIDR, parseListen } from './listen-defaults.js';

export interface ApiserverConfig {
  dataDir: string;
  listenHost: string;
  listenPort: number;
  etcdEndpoints: string[];
  serviceCidr: string;
  clusterCidr: string;
  nodeMonitorGracePeriodMs: number;
  /** tolerationSeconds for pods without their own not-ready / unreachable NoExecute toleration */
  defaultNotReadyTolerationSeconds?: number;
  defaultUnreachableTolerationSeconds?: number;
  /** where the agents' gRPC service listens (--agent-listen; default listen host, listen port + 1) */
  agentListenHost: string;
  agentListenPort: number;
  tls: { caCertPem: string; caKeyPem: string; certPem: string; keyPem: string };
  authenticator: Authenticator;
}

export interface PrepareOptions {
  dataDir: string;
  listenHost: string;
  listenPort: number;
  etcdEndpoints?: string[];
  serviceCidr?: string;
  clusterCidr?: string;
  nodeMonitorGracePeriodMs?: number;
  defaultNotReadyTolerationSeconds?: number;
  defaultUnreachableTolerationSeconds?: number;
  /** "HOST:PORT" for the agents' gRPC service; default: listen host with port + 1 (0 when listen port is 0) */
  agentListen?: string;
  /** more names/IPs for the serving certificate (e.g. a lab bridge address) */
  extraSans?: string[];
}

// defaults and parseListen live apart so the CLI can show and check them without loading the
// PKI and kubeconfig code (and their libraries) into every kinglet process
export { DEFAULT_CLUSTER_CIDR, DEFAULT_LISTEN, DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS, DEFAULT_SERVICE_CIDR, parseListen } from './listen-defaults.js';

export { ADMIN_KUBECONFIG_FILE, clientUrl };

/** The agents' gRPC address: the explicit one, or the listen host with port + 1 (0 stays 0). */
export function agentListenOf(listenHost: string, listenPort: number, explicit?: string): { host: string; port: number } {
  if (explicit !== undefined && explicit !== '') return parseListen(explicit);
  if (listenPort === 65535) throw new Error('--listen port 65535 leaves no default for --agent-listen; set it explicitly');
  return { host: listenHost, port: listenPort === 0 ? 0 : listenPort + 1 };
}

async function ensureDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const st = await stat(dataDir);
  if (!st.isDirectory()) throw new Error(`--data-dir ${dataDir} is not a directory`);
  // Keys and tokens live here: nobody else may read or list it, whoever created it.
  await chmod(dataDir, 0o700);
}

/** Creates or reuses the data dir's credentials and returns the full apiserver configuration. */
export async function prepareDataDir(opts: PrepareOptions): Promise<ApiserverConfig> {
  const dataDir = resolve(opts.dataDir);
  const serviceCidr = parseCidr(opts.serviceCidr ?? DEFAULT_SERVICE_CIDR).text;
  const clusterCidr = parseCidr(opts.clusterCidr ?? DEFAULT_CLUSTER_CIDR).text;
  const grace = opts.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
  if (!(grace > 0)) throw new Error(`node monitor grace period must be positive, got ${grace}ms`);
  if (!Number.isInteger(opts.listenPort) || opts.listenPort < 0 || opts.listenPort > 65535) {
    throw new Error(`invalid listen port ${opts.listenPort}`);
  }

  const agent = agentListenOf(opts.listenHost, opts.listenPort, opts.agentListen);

  await ensureDir(dataDir);
  const pki = await ensurePki(dataDir, opts.listenHost, opts.extraSans);
  const tokens = await ensureTokenFile(dataDir);
  // With port 0 the real port is only known after listen; the CLI rewrites it then.
  if (opts.listenPort !== 0) {
    await writeKubeconfigFile(dataDir, {
      server: clientUrl(opts.listenHost, opts.listenPort),
      caCertPem: pki.ca.certPem,
      token: adminToken(tokens),
    });
  }

  return {
    dataDir,
    listenHost: opts.listenHost,
    listenPort: opts.listenPort,
    etcdEndpoints: opts.etcdEndpoints ?? [],
    serviceCidr,
    clusterCidr,
    nodeMonitorGracePeriodMs: grace,
    defaultNotReadyTolerationSeconds: opts.defaultNotReadyTolerationSeconds,
    defaultUnreachableTolerationSeconds: opts.defaultUnreachableTolerationSeconds,
    agentListenHost: agent.host,
    agentListenPort: agent.port,
    tls: { caCertPem: pki.ca.certPem, caKeyPem: pki.ca.keyPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem },
    authenticator: createAuthenticator(tokens),
  };
}

function notInitialized(dataDir: string): Error {
  return new Error(`data dir ${dataDir} is not initialized (start "kinglet apiserver --data-dir ${dataDir}" once first)`);
}

/** (Re)writes DIR/admin.kubeconfig pointing at url, from the CA and admin token already in DIR. */
export async function writeAdminKubeconfig(dataDir: string, url: string): Promise<string> {
  const dir = resolve(dataDir);
  const caCertPem = await readIfExists(join(dir, CA_CERT_FILE));
  const tokens = await readTokenFile(dir);
  if (caCertPem === undefined || tokens === undefined) throw notInitialized(dir);
  return writeKubeconfigFile(dir, { server: url, caCertPem, token: adminToken(tokens) });
}

/** The admin kubeconfig text; throws a clear error when DIR was never initialized. */
export async function readAdminKubeconfig(dataDir: string): Promise<string> {
  const dir = resolve(dataDir);
  const text = await readKubeconfigFile(dir);
  if (text === undefined) throw notInitialized(dir);
  return text;
}

export { buildKubeconfig };
