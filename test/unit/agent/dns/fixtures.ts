// Services and Endpoints as the apiserver sends them, for the DNS zone tests.
import type { KubeObject } from '../../../../api/types.js';
import { ClusterZone } from '../../../../agent/dns/zone.js';

export function service(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { kind: 'Service', metadata: { namespace: ns, name }, spec };
}

export function endpoints(ns: string, name: string, subsets: Record<string, unknown>[]): KubeObject {
  return { kind: 'Endpoints', metadata: { namespace: ns, name }, subsets };
}

export const SERVICES = [
  service('default', 'web', { type: 'ClusterIP', clusterIP: '10.96.3.4', clusterIPs: ['10.96.3.4'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }] }),
  service('team-a', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  service('team-a', 'empty', { clusterIP: 'None', ports: [{ name: 'x', port: 1 }] }),
  service('team-a', 'ext', { type: 'ExternalName', externalName: 'db.team-a.svc.cluster.local.' }),
  service('team-a', 'outside', { type: 'ExternalName', externalName: 'backend.corp.example' }),
  service('team-a', 'pending', { type: 'ClusterIP' }),
];

export const ENDPOINTS = [
  endpoints('default', 'web', [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]),
  endpoints('team-a', 'db', [
    {
      addresses: [{ ip: '10.244.1.7', hostname: 'db-0' }, { ip: '10.244.2.9' }],
      notReadyAddresses: [{ ip: '10.244.3.3', hostname: 'db-2' }],
      ports: [{ name: 'pg', port: 5433, protocol: 'TCP' }],
    },
  ]),
];

export const zone = (): ClusterZone => new ClusterZone({ services: SERVICES, endpoints: ENDPOINTS }, 'cluster.local', 42);
