import { describe, expect, it } from 'vitest';
import { RESOURCES, type ResourceInfo } from '../../../../../api/resources.ts';
import type { KubeObject } from '../../../../../api/types.ts';
import { tableFor } from '../../../../../apiserver/http/table/index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const ri = (plural: string): ResourceInfo => RESOURCES.find((r) => r.plural === plural)!;
const created = '2024-05-01T11:00:00Z'; // 60m before `now`

const obj = (kind: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject => ({
  kind,
  metadata: { name: 'x', namespace: 'default', creationTimestamp: created, ...meta },
  ...extra,
});

const names = (t: any) => t.columnDefinitions.map((c: any) => c.name);
const visible = (t: any) => t.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name);
const cells = (plural: string, o: KubeObject) => (tableFor(ri(plural), [o], { now }) as any).rows[0].cells;

describe('Table envelope', () => {
  const pod = obj('Pod', { apiVersion: 'v1', spec: { containers: [] }, status: {} }, {
    labels: { app: 'web' },
    managedFields: [{ manager: 'kubectl' }],
    uid: 'u1',
  });

  it('is a meta.k8s.io/v1 Table with list metadata', () => {
    const t = tableFor(ri('pods'), [pod], { now, resourceVersion: '42', continue: 'tok', remainingItemCount: 3 }) as any;
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
    for (const c of t.columnDefinitions) expect(Object.keys(c).sort()).toEqual(['description', 'format', 'name', 'priority', 'type']);
  });

  it('includeObject Metadata (default) gives PartialObjectMetadata without managedFields', () => {
    const t = tableFor(ri('pods'), [pod], { now }) as any;
    expect(t.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'x', namespace: 'default', creationTimestamp: created, labels: { app: 'web' }, uid: 'u1' },
    });
    expect(pod.metadata.managedFields).toHaveLength(1); // input untouched
  });

  it('includeObject Object gives the full object, None omits it', () => {
    const full = tableFor(ri('pods'), [pod], { now, includeObject: 'Object' }) as any;
    expect(full.rows[0].object.spec).toEqual({ containers: [] });
    expect(full.rows[0].object.kind).toBe('Pod');
    const none = tableFor(ri('pods'), [pod], { now, includeObject: 'None' }) as any;
    expect('object' in none.rows[0]).toBe(false);
    expect(none.rows[0].cells[0]).toBe('x');
  });

  it('withColumns false (watch events after the first) sends no column definitions', () => {
    const t = tableFor(ri('pods'), [pod], { now, withColumns: false }) as any;
    expect(t.columnDefinitions).toEqual([]);
    expect(t.rows).toHaveLength(1);
  });

  it('answers the v1beta1 version when asked', () => {
    const t = tableFor(ri('pods'), [pod], { now, version: 'v1beta1' }) as any;
    expect(t.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(t.rows[0].object.apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('unknown resources get Name and Created At, like the default table convertor', () => {
    const widget: ResourceInfo = { ...ri('configmaps'), group: 'example.com', plural: 'widgets', kind: 'Widget' };
    const t = tableFor(widget, [obj('Widget')], { now }) as any;
    expect(names(t)).toEqual(['Name', 'Created At']);
    expect(t.rows[0].cells).toEqual(['x', '2024-05-01T11:00:00Z']);
  });
});

describe('deployments', () => {
  const d = obj('Deployment', {
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } },
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  });

  it('prints READY UP-TO-DATE AVAILABLE AGE and wide CONTAINERS IMAGES SELECTOR', () => {
    const t = tableFor(ri('deployments'), [d], { now }) as any;
    expect(visible(t)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    expect(names(t).slice(5)).toEqual(['Containers', 'Images', 'Selector']);
    expect(t.rows[0].cells).toEqual(['x', '2/3', 3, 2, '60m', 'web,log', 'nginx:1.25,busybox', 'app=web']);
  });

  it('a fresh deployment without status shows 0/N', () => {
    expect(cells('deployments', obj('Deployment', { spec: { replicas: 2 } })).slice(1, 4)).toEqual(['0/2', 0, 0]);
  });
});

describe('services', () => {
  it('ClusterIP service', () => {
    const s = obj('Service', {
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } },
    });
    const t = tableFor(ri('services'), [s], { now }) as any;
    expect(visible(t)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
    expect(t.rows[0].cells).toEqual(['x', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '60m', 'app=web']);
  });

  it('NodePort ports, LoadBalancer pending, no selector', () => {
    const np = obj('Service', { spec: { type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } });
    expect(cells('services', np)).toEqual(['x', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP', '60m', '<none>']);
    const lb = obj('Service', { spec: { type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 443, nodePort: 31443 }] } });
    expect(cells('services', lb)[3]).toBe('<pending>');
    const headless = obj('Service', { spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } });
    expect(cells('services', headless).slice(2, 5)).toEqual(['None', '<none>', '<none>']);
  });
});

describe('other kinds', () => {
  it('nodes: status, roles, version and wide info', () => {
    const n = obj('Node', {
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'n1' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'docker://27' },
      },
    }, { labels: { 'node-role.kubernetes.io/control-plane': '' } });
    expect(cells('nodes', n)).toEqual(['x', 'Ready,SchedulingDisabled', 'control-plane', '60m', 'v1.32.0', '172.18.0.2', '<none>', 'Debian', '6.1', 'docker://27']);
    expect(cells('nodes', obj('Node', { status: {} })).slice(1, 3)).toEqual(['Unknown', '<none>']);
  });

  it('endpoints list at most 3 then "+ N more..."', () => {
    const ep = obj('Endpoints', {
      subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }],
    });
    expect(cells('endpoints', ep)[1]).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
    expect(cells('endpoints', obj('Endpoints'))[1]).toBe('<none>');
  });

  it('namespaces, configmaps, secrets, serviceaccounts, leases', () => {
    expect(cells('namespaces', obj('Namespace', { status: { phase: 'Active' } }))).toEqual(['x', 'Active', '60m']);
    expect(cells('configmaps', obj('ConfigMap', { data: { a: '1', b: '2' } }))).toEqual(['x', 2, '60m']);
    expect(cells('secrets', obj('Secret', { type: 'Opaque', data: { k: 'dg==' } }))).toEqual(['x', 'Opaque', 1, '60m']);
    expect(cells('serviceaccounts', obj('ServiceAccount'))).toEqual(['x', 0, '60m']);
    expect(cells('leases', obj('Lease', { spec: { holderIdentity: 'node-1' } }))).toEqual(['x', 'node-1', '60m']);
  });

  it('events: LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME', () => {
    const e = obj('Event', {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container\n',
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2024-05-01T11:50:00Z',
      lastTimestamp: '2024-05-01T11:58:00Z',
      count: 4,
    });
    const t = tableFor(ri('events'), [e], { now }) as any;
    expect(visible(t)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(t.rows[0].cells).toEqual([
      '2m', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-1',
      'Back-off restarting failed container', '10m', 4, 'x',
    ]);
  });

  it('workload kinds', () => {
    const tmpl = { template: { spec: { containers: [{ name: 'c', image: 'i' }] } }, selector: { matchLabels: { a: 'b' } } };
    expect(cells('replicasets', obj('ReplicaSet', { spec: { replicas: 2, ...tmpl }, status: { replicas: 2, readyReplicas: 1 } })))
      .toEqual(['x', 2, 2, 1, '60m', 'c', 'i', 'a=b']);
    expect(cells('statefulsets', obj('StatefulSet', { spec: { replicas: 3, ...tmpl }, status: { readyReplicas: 3 } })))
      .toEqual(['x', '3/3', '60m', 'c', 'i']);
    expect(cells('daemonsets', obj('DaemonSet', { spec: tmpl, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 } })))
      .toEqual(['x', 2, 2, 1, 2, 1, '<none>', '60m', 'c', 'i', 'a=b']);
    const job = obj('Job', {
      spec: { completions: 1, parallelism: 1, ...tmpl },
      status: { succeeded: 1, startTime: '2024-05-01T11:00:00Z', completionTime: '2024-05-01T11:00:12Z', conditions: [{ type: 'Complete', status: 'True' }] },
    });
    expect(cells('jobs', job)).toEqual(['x', 'Complete', '1/1', '12s', '60m', 'c', 'i', 'a=b']);
    expect(cells('jobs', obj('Job', { spec: { ...tmpl, suspend: true }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } })).slice(1, 4))
      .toEqual(['Suspended', '0/1', '']);
    const cj = obj('CronJob', { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: tmpl } }, status: { active: [{}], lastScheduleTime: '2024-05-01T11:55:00Z' } });
    expect(cells('cronjobs', cj)).toEqual(['x', '*/5 * * * *', '<none>', 'False', 1, '5m', '60m', 'c', 'i', 'a=b']);
    const cr = obj('ControllerRevision', { revision: 2 }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] });
    expect(cells('controllerrevisions', cr)).toEqual(['x', 'statefulset.apps/web', 2, '60m']);
    expect(cells('poddisruptionbudgets', obj('PodDisruptionBudget', { spec: { minAvailable: 1 }, status: { disruptionsAllowed: 0 } })))
      .toEqual(['x', '1', 'N/A', 0, '60m']);
  });

  it('endpointslices, pvcs and pvs', () => {
    const es = obj('EndpointSlice', { addressType: 'IPv4', ports: [{ port: 80, name: 'http' }], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }] });
    expect(cells('endpointslices', es)).toEqual(['x', 'IPv4', '80', '10.0.0.1,10.0.0.2', '60m']);
    const pvc = obj('PersistentVolumeClaim', {
      spec: { volumeName: 'pv1', storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
    });
    expect(cells('persistentvolumeclaims', pvc)).toEqual(['x', 'Bound', 'pv1', '1Gi', 'RWO', 'standard', '<unset>', '60m', '<unset>']);
    const pv = obj('PersistentVolume', {
      spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, volumeMode: 'Filesystem' },
      status: { phase: 'Bound' },
    });
    expect(cells('persistentvolumes', pv)).toEqual(['x', '5Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', '', '<unset>', '', '60m', 'Filesystem']);
  });
});
