// A StatefulSet on a real agent and dockerd: pods start in order, and a pod's claim — a node-local
// directory bound by the local provisioner — keeps its data across the pod's deletion.
// Run under the machine-wide Docker lock (see BRIEF): flock /tmp/kinglet-docker.lock npx vitest run <this file>
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.js';
import { BUSYBOX_IMAGE } from '../helpers/registry.js';
import { podJson, startAgentCluster, stopAgentCluster, until, type AgentCluster } from './agent-cluster.js';

const skip = await dockerSkipReason();

describe.skipIf(skip)('agent e2e: StatefulSet with local volumes', () => {
  let c: AgentCluster;
  const uids = new Set<string>();

  beforeAll(async () => {
    c = await startAgentCluster();
  }, 90_000);

  afterAll(async () => {
    await stopAgentCluster(c, uids, [['delete', 'sts', '--all']]);
  }, 60_000);

  const ready = (name: string) =>
    until(`${name} Ready`, async () => {
      const p = await podJson(c.k, name);
      if (p) uids.add(p.metadata.uid);
      return p?.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.ready) && p;
    }, 40_000);

  it('starts db-0 before db-1 and keeps db-0 data across its deletion', async () => {
    await c.k.ok(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: c
          image: ${BUSYBOX_IMAGE}
          command: [sh, -c, '[ -f /data/id ] || cat /proc/sys/kernel/random/uuid > /data/id; echo "id=$(cat /data/id) host=$(hostname)"; exec sleep 3600']
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    });
    const p0 = await ready('db-0');
    const p1 = await ready('db-1');
    const readyAt = Date.parse(p0.status.conditions.find((x: any) => x.type === 'Ready').lastTransitionTime);
    expect(Date.parse(p1.metadata.creationTimestamp)).toBeGreaterThanOrEqual(readyAt);

    const logLine = async () => {
      const out = await c.k.ok(['logs', 'db-0']);
      const m = /id=(\S+) host=(\S+)/.exec(out);
      return m ? { id: m[1], host: m[2] } : undefined;
    };
    const first = await until('db-0 log line', logLine, 20_000);
    expect(first.host).toBe('db-0');
    const other = await until('db-1 log line', async () => /id=(\S+)/.exec(await c.k.ok(['logs', 'db-1']))?.[1], 20_000);
    expect(other).not.toBe(first.id);

    await c.k.ok(['delete', 'pod', 'db-0']);
    const again = await until('db-0 recreated', async () => {
      const p = await ready('db-0');
      return p.metadata.uid !== p0.metadata.uid ? p : undefined;
    }, 60_000);
    expect(again.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } });
    const second = await until('new db-0 log line', logLine, 20_000);
    expect(second.id).toBe(first.id);
    const pvc = JSON.parse(await c.k.ok(['get', 'pvc', 'data-db-0', '-o', 'json']));
    expect(pvc.status.phase).toBe('Bound');
  }, 150_000);
});
