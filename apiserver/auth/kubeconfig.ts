// The admin kubeconfig: CA data, the server URL, the admin bearer token, context "kinglet".
import { join } from 'node:path';
import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { readIfExists, writeFileAtomic } from './file-io.js';

export const ADMIN_KUBECONFIG_FILE = 'admin.kubeconfig';
export const CONTEXT_NAME = 'kinglet';
const CLUSTER_NAME = 'kinglet';
const USER_NAME = 'admin';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  token: string;
  namespace?: string;
}

/** The kubeconfig YAML for a bearer-token user. */
export function buildKubeconfig(input: KubeconfigInput): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CLUSTER_NAME,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caCertPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name: USER_NAME, user: { token: input.token } }],
    contexts: [
      { name: CONTEXT_NAME, context: { cluster: CLUSTER_NAME, user: USER_NAME, namespace: input.namespace ?? 'default' } },
    ],
    'current-context': CONTEXT_NAME,
    preferences: {},
  };
  return stringify(doc);
}

/** https://HOST:PORT as clients should dial it: a wildcard listen host becomes loopback. */
export function clientUrl(listenHost: string, port: number): string {
  let host = listenHost;
  if (host === '0.0.0.0' || host === '') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

export async function writeKubeconfigFile(dataDir: string, input: KubeconfigInput): Promise<string> {
  const path = join(dataDir, ADMIN_KUBECONFIG_FILE);
  await writeFileAtomic(path, buildKubeconfig(input), 0o600);
  return path;
}

export async function readKubeconfigFile(dataDir: string): Promise<string | undefined> {
  return readIfExists(join(dataDir, ADMIN_KUBECONFIG_FILE));
}
