// Join: a bootstrap token buys a node its client certificate, a podCIDR and the cluster settings.
// Tokens are re-read from the data dir on every call, so `kinglet token create` takes effect at
// once. podCIDRs are handed out one at a time (a single in-process queue) and live on the Node.
import { isDns1123Subdomain } from '../../api/names.js';
import type { KubeObject } from '../../api/types.js';
import { nthIp, subnet, subnetCount } from '../../lib/cidr.js';
import { ApiError } from '../../lib/errors.js';
import type { CertKeyPair } from '../../lib/tls.js';
import { CLUSTER_DNS_OFFSET } from '../registry/service-ip-allocator.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { readBootstrapTokens, verifyToken } from './bootstrap-tokens.js';
import { signNodeCsr } from './sign-csr.js';
import { NODES } from './status-intake.js';

export const NODE_CIDR_PREFIX = 24;
const IPAM_USER: UserInfo = { name: 'system:kinglet:node-ipam', groups: ['system:masters'] };

export interface JoinDeps {
  registry: Registry;
  dataDir: string;
  ca: CertKeyPair;
  serviceCidr: string;
  clusterCidr: string;
  now?: () => Date;
}

export interface JoinInput {
  token: string;
  nodeName: string;
  csrPem: string;
}

export interface JoinResult {
  certificatePem: string;
  caPem: string;
  cluster: { serviceCidr: string; clusterCidr: string; podCidr: string; clusterDns: string; clusterDomain: string };
}

/** The failure kinds the gRPC edge maps to status codes. */
export class JoinError extends Error {
  constructor(
    readonly kind: 'unauthenticated' | 'invalid' | 'exhausted',
    message: string,
  ) {
    super(message);
  }
}

let ipamQueue: Promise<unknown> = Promise.resolve();

export async function join(deps: JoinDeps, input: JoinInput): Promise<JoinResult> {
  // 1. The name must be a valid Node name (it becomes part of the certificate identity).
  const nameErr = input.nodeName ? isDns1123Subdomain(input.nodeName) : 'must not be empty';
  if (nameErr) throw new JoinError('invalid', `invalid node name "${input.nodeName}": ${nameErr}`);
  // 2. The token.
  const check = verifyToken(await readBootstrapTokens(deps.dataDir), input.token, deps.now?.() ?? new Date());
  if (!check.ok) throw new JoinError('unauthenticated', check.reason === 'expired' ? 'bootstrap token expired' : 'unknown bootstrap token');
  // 3. The certificate (subject forced to the node identity).
  let certificatePem: string;
  try {
    certificatePem = signNodeCsr(deps.ca, input.csrPem, input.nodeName);
  } catch (e) {
    throw new JoinError('invalid', (e as Error).message);
  }
  // 4. The podCIDR, serialized so two joins never pick the same range.
  const run = ipamQueue.then(() => ensurePodCidr(deps.registry, input.nodeName, deps.clusterCidr));
  ipamQueue = run.catch(() => undefined);
  const podCidr = await run;
  return {
    certificatePem,
    caPem: deps.ca.certPem,
    cluster: {
      serviceCidr: deps.serviceCidr,
      clusterCidr: deps.clusterCidr,
      podCidr,
      clusterDns: nthIp(deps.serviceCidr, CLUSTER_DNS_OFFSET),
      clusterDomain: 'cluster.local',
    },
  };
}

/** The first free /24 of the cluster CIDR not used by another node; stable once assigned. Pure. */
export function pickPodCidr(clusterCidr: string, nodes: KubeObject[], node: string): string | undefined {
  const own = nodes.find((n) => n.metadata.name === node)?.spec?.podCIDR;
  if (typeof own === 'string' && own !== '') return own;
  const used = new Set<string>();
  for (const n of nodes) {
    if (n.spec?.podCIDR) used.add(String(n.spec.podCIDR));
    for (const c of n.spec?.podCIDRs ?? []) used.add(String(c));
  }
  const count = subnetCount(clusterCidr, NODE_CIDR_PREFIX);
  for (let i = 0; i < count; i++) {
    const c = subnet(clusterCidr, NODE_CIDR_PREFIX, i);
    if (!used.has(c)) return c;
  }
  return undefined;
}

async function ensurePodCidr(registry: Registry, node: string, clusterCidr: string): Promise<string> {
  const nodes = (await registry.list(NODES, undefined)).items;
  const cidr = pickPodCidr(clusterCidr, nodes, node);
  if (!cidr) throw new JoinError('exhausted', `no free /${NODE_CIDR_PREFIX} left in cluster CIDR ${clusterCidr}`);
  const { object } = await registry.guaranteedUpdate(
    NODES,
    undefined,
    node,
    (cur) => {
      const n: KubeObject = cur ?? { apiVersion: 'v1', kind: 'Node', metadata: { name: node }, spec: {} };
      n.spec ??= {};
      if (!n.spec.podCIDR) {
        n.spec.podCIDR = cidr;
        n.spec.podCIDRs = [cidr];
      }
      return n;
    },
    { user: IPAM_USER, fieldManager: 'kinglet-node-ipam', allowCreate: true },
  );
  const got = object.spec?.podCIDR;
  if (typeof got !== 'string' || got === '') throw new ApiError('InternalError', `node ${node} has no podCIDR after allocation`);
  return got;
}
