import { describe, expect, it } from 'vitest';
import { slimPod } from '../../../../apiserver/scheduler/slim-pod.js';
import { podHostPorts, podRequests } from '../../../../apiserver/scheduler/pod-resources.js';
import { pod } from './builders.js';

describe('slimPod', () => {
  it('keeps what scheduling reads and drops the rest', () => {
    const full = pod('web', { cpu: '500m', memory: '1Gi', hostPort: 8080, owner: 'rs1', init: [{ cpu: '1' }], spec: { nodeSelector: { disk: 'ssd' }, tolerations: [{ operator: 'Exists' }] } });
    full.spec.containers[0].env = [{ name: 'A', value: 'x'.repeat(1000) }];
    full.spec.volumes = [{ name: 'v', emptyDir: {} }];
    full.metadata.managedFields = [{ manager: 'm', operation: 'Update', fieldsV1: { 'f:spec': {} } }];
    full.status = { phase: 'Pending', qosClass: 'Burstable', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm' }, { type: 'Ready', status: 'False' }] };
    const slim = slimPod(full);
    expect(podRequests(slim)).toEqual(podRequests(full));
    expect(podHostPorts(slim)).toEqual(podHostPorts(full));
    expect(slim.spec.nodeSelector).toEqual({ disk: 'ssd' });
    expect(slim.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(slim.metadata).toMatchObject({ name: 'web', namespace: 'default', uid: 'uid-web' });
    expect(slim.metadata.ownerReferences?.[0]).toMatchObject({ uid: 'rs-rs1', controller: true });
    expect(slim.status.conditions).toEqual([{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm' }]);
    const text = JSON.stringify(slim);
    expect(text).not.toContain('managedFields');
    expect(text).not.toContain('volumes');
    expect(text).not.toContain('env');
  });
});
