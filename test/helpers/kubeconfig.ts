// Reads the pieces of an admin kubeconfig that raw HTTPS clients need: server URL, CA PEM, bearer token.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface KubeCredentials {
  server: string;
  caPem: string;
  token: string;
}

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }

export function readKubeconfig(path: string): KubeCredentials {
  const doc = parse(readFileSync(path, 'utf8')) as {
    'current-context'?: string;
    contexts?: Named<{ cluster: string; user: string }>[];
    clusters?: Named<{ server: string; 'certificate-authority-data'?: string }>[];
    users?: Named<{ token?: string }>[];
  };
  // Follow current-context when present; a single-entry kubeconfig works without it.
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context'])?.context ?? doc.contexts?.[0]?.context;
  const cluster = (doc.clusters?.find((c) => c.name === ctx?.cluster) ?? doc.clusters?.[0])?.cluster;
  const user = (doc.users?.find((u) => u.name === ctx?.user) ?? doc.users?.[0])?.user;
  if (!cluster?.server) throw new Error(`${path}: no cluster server`);
  const caData = cluster['certificate-authority-data'];
  if (!caData) throw new Error(`${path}: no certificate-authority-data`);
  if (!user?.token) throw new Error(`${path}: no user token`);
  return { server: cluster.server, caPem: Buffer.from(caData, 'base64').toString('utf8'), token: user.token };
}
