// Services and pods for the endpoint controllers' tests.
import type { KubeObject } from '../../../../api/types.js';

export function svc(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { selector: { app: name }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }], ...extra },
  };
}

export function pod(name: string, app: string, ip: string | undefined, ready: boolean, extra: { containerPort?: number; deleting?: boolean; phase?: string } = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app }, ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'web', containerPort: extra.containerPort ?? 8080 }] }] },
    status: { phase: extra.phase ?? 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}
