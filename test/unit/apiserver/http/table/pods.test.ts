import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../../../api/resources.ts';
import type { KubeObject } from '../../../../../api/types.ts';
import { podStatusCells } from '../../../../../apiserver/http/table/pods.ts';
import { tableFor } from '../../../../../apiserver/http/table/index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const podsRI = RESOURCES.find((r) => r.plural === 'pods')!;

function pod(spec: any, status: any, meta: any = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2024-05-01T11:55:00Z', ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: '2024-05-01T11:55:05Z' } };

describe('pod STATUS / READY / RESTARTS (kubectl printPod)', () => {
  it('Running 1/1', () => {
    const p = pod({}, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
    });
    expect(podStatusCells(p, now)).toEqual({ ready: '1/1', status: 'Running', restarts: '0' });
  });

  it('Pending with no statuses shows the phase', () => {
    expect(podStatusCells(pod({}, { phase: 'Pending' }), now).status).toBe('Pending');
  });

  it('Init:0/2 while the first init container runs', () => {
    const p = pod(
      { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', ready: false, restartCount: 0, state: running },
          { name: 'i2', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
        containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    );
    expect(podStatusCells(p, now)).toEqual({ ready: '0/1', status: 'Init:0/2', restarts: '0' });
  });

  it('Init:1/2 after the first init container succeeded', () => {
    const p = pod(
      { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'i2', state: running },
        ],
      },
    );
    expect(podStatusCells(p, now).status).toBe('Init:1/2');
  });

  it('Init:CrashLoopBackOff, Init:Error, Init:ExitCode:N and Init:Signal:N', () => {
    const init = (state: any) =>
      pod({ initContainers: [{ name: 'i1' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 3, state }] });
    expect(podStatusCells(init({ waiting: { reason: 'CrashLoopBackOff' } }), now).status).toBe('Init:CrashLoopBackOff');
    expect(podStatusCells(init({ terminated: { exitCode: 1, reason: 'Error' } }), now).status).toBe('Init:Error');
    expect(podStatusCells(init({ terminated: { exitCode: 2 } }), now).status).toBe('Init:ExitCode:2');
    expect(podStatusCells(init({ terminated: { exitCode: 137, signal: 9 } }), now).status).toBe('Init:Signal:9');
    // Init container restarts count while initializing.
    expect(podStatusCells(init({ waiting: { reason: 'CrashLoopBackOff' } }), now).restarts).toBe('3');
  });

  it('CrashLoopBackOff with restarts and the time of the last one', () => {
    const p = pod({}, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:58:00Z' } },
        },
      ],
    });
    expect(podStatusCells(p, now)).toEqual({ ready: '0/1', status: 'CrashLoopBackOff', restarts: '5 (2m ago)' });
  });

  it('ErrImagePull, ContainerCreating and ExitCode/Signal for the main containers', () => {
    const one = (state: any) => pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', state }] });
    expect(podStatusCells(one({ waiting: { reason: 'ErrImagePull' } }), now).status).toBe('ErrImagePull');
    expect(podStatusCells(one({ waiting: { reason: 'ContainerCreating' } }), now).status).toBe('ContainerCreating');
    expect(podStatusCells(one({ terminated: { exitCode: 3 } }), now).status).toBe('ExitCode:3');
    expect(podStatusCells(one({ terminated: { exitCode: 143, signal: 15 } }), now).status).toBe('Signal:15');
  });

  it('Completed for a succeeded pod, with a Completed row condition', () => {
    const p = pod({}, {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'app', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    expect(podStatusCells(p, now)).toEqual({ ready: '0/1', status: 'Completed', restarts: '0' });
    const t = tableFor(podsRI, [p], { now }) as any;
    expect(t.rows[0].conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
  });

  it('Completed container with another still running → Running or NotReady by the Ready condition', () => {
    const status = (ready: string) => ({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready }],
      containerStatuses: [
        { name: 'a', ready: true, state: running },
        { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    });
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    expect(podStatusCells(pod(spec, status('True')), now)).toMatchObject({ status: 'Running', ready: '1/2' });
    expect(podStatusCells(pod(spec, status('False')), now).status).toBe('NotReady');
  });

  it('Terminating when deleted, Unknown when the node is lost, phase kept when terminal', () => {
    const st = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: running }] };
    const del = { deletionTimestamp: '2024-05-01T11:59:00Z' };
    expect(podStatusCells(pod({}, st, del), now).status).toBe('Terminating');
    expect(podStatusCells(pod({}, { ...st, reason: 'NodeLost' }, del), now).status).toBe('Unknown');
    const done = { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
    expect(podStatusCells(pod({}, done, del), now).status).toBe('Completed');
  });

  it('SchedulingGated and status.reason (Evicted) win over the phase', () => {
    const gated = pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(podStatusCells(gated, now).status).toBe('SchedulingGated');
    expect(podStatusCells(pod({}, { phase: 'Failed', reason: 'Evicted' }), now).status).toBe('Evicted');
  });

  it('sidecar init containers count toward READY', () => {
    const p = pod(
      { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 1, state: running }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
      },
    );
    expect(podStatusCells(p, now)).toEqual({ ready: '2/2', status: 'Running', restarts: '1' });
  });
});

describe('pod table row', () => {
  it('fills every column, wide ones included', () => {
    const p = pod(
      { nodeName: 'node-1', readinessGates: [{ conditionType: 'x/gate' }] },
      {
        phase: 'Running',
        podIP: '10.0.0.5',
        podIPs: [{ ip: '10.0.0.5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
      },
    );
    const t = tableFor(podsRI, [p], { now }) as any;
    expect(t.columnDefinitions.map((c: any) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(t.columnDefinitions[0].format).toBe('name');
    expect(t.rows[0].cells).toEqual(['p', '1/1', 'Running', '0', '5m', '10.0.0.5', 'node-1', '<none>', '0/1']);
  });

  it('prints <none> for a pod not yet scheduled', () => {
    const t = tableFor(podsRI, [pod({}, { phase: 'Pending' })], { now }) as any;
    expect(t.rows[0].cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });
});
