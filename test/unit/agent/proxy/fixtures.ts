// Services and Endpoints for the proxy's tests: a two-endpoint ClusterIP, a NodePort with
// affinity, a Service without endpoints, a headless one and an ExternalName (both never proxied).
import type { KubeObject } from '../../../../api/types.js';

export function service(ns: string, name: string, clusterIP: string, ports: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type: 'ClusterIP', clusterIP, ports, ...extra } };
}

/** The node of a pod IP in these fixtures: 10.244.N.x runs on nodeN; 10.244.7.x on no known node. */
export const nodeOf = (ip: string): string | undefined => (ip.startsWith('10.244.7.') ? undefined : `node${ip.split('.')[2]}`);

/** The node the proxy under test runs on. */
export const THIS_NODE = 'node1';

export function endpoints(ns: string, name: string, subsets: Array<{ ips: string[]; notReady?: string[]; ports: Array<Record<string, unknown>> }>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { namespace: ns, name },
    subsets: subsets.map((s) => ({
      addresses: s.ips.map((ip) => ({ ip, ...(nodeOf(ip) ? { nodeName: nodeOf(ip) } : {}) })),
      ...(s.notReady ? { notReadyAddresses: s.notReady.map((ip) => ({ ip })) } : {}),
      ports: s.ports,
    })),
  };
}

export const CLUSTER_CIDR = '10.244.0.0/16';

export function cluster(): { services: KubeObject[]; endpoints: KubeObject[] } {
  return {
    services: [
      service('default', 'web', '10.96.0.10', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]),
      service('default', 'api', '10.96.0.20', [{ name: 'grpc', port: 9000, targetPort: 9000, protocol: 'TCP', nodePort: 30900 }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }], {
        type: 'NodePort',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      }),
      service('default', 'empty', '10.96.0.30', [{ port: 81, protocol: 'TCP', nodePort: 30081 }], { type: 'NodePort' }),
      service('default', 'headless', 'None', [{ port: 80, protocol: 'TCP' }]),
      service('default', 'ext', '', [], { type: 'ExternalName', externalName: 'example.invalid' }),
    ],
    endpoints: [
      endpoints('default', 'web', [{ ips: ['10.244.1.5', '10.244.2.7', '10.244.7.3'], notReady: ['10.244.3.9'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]),
      endpoints('default', 'api', [
        { ips: ['10.244.1.6'], ports: [{ name: 'grpc', port: 9000, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }] },
        { ips: ['10.244.2.8', '10.244.3.2'], ports: [{ name: 'grpc', port: 9001, protocol: 'TCP' }] },
      ]),
      endpoints('default', 'empty', []),
      endpoints('default', 'headless', [{ ips: ['10.244.1.9'], ports: [{ port: 80, protocol: 'TCP' }] }]),
    ],
  };
}
