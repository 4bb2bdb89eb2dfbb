import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import { defaultContainer, selectLogContainer } from '../../../../agent/logs/select.js';
import type { RuntimeContainer, RuntimePod } from '../../../../agent/runtime/runtime.js';

const pod = { metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }, { name: 'side' }] } } as KubeObject;
const c = (name: string, restartCount: number, state: RuntimeContainer['state']): RuntimeContainer => ({
  id: `${name}-${restartCount}`, podUid: 'u', podName: 'web', podNamespace: 'default', containerName: name, kind: 'app', specHash: 'h',
  restartCount, image: 'i', imageId: 'i', state, createdAt: new Date(1_700_000_000_000 + restartCount).toISOString(),
});
const rp: RuntimePod = { uid: 'u', name: 'web', namespace: 'default', sandboxes: [], containers: [c('app', 0, 'exited'), c('app', 2, 'running'), c('app', 1, 'exited'), c('init', 0, 'exited')] };

describe('selectLogContainer', () => {
  it('current = newest instance; previous = restartCount - 1', () => {
    expect(selectLogContainer(pod, rp, 'app', false)).toMatchObject({ ok: true, container: { id: 'app-2' } });
    expect(selectLogContainer(pod, rp, 'app', true)).toMatchObject({ ok: true, container: { id: 'app-1' } });
    expect(selectLogContainer(pod, rp, 'init', false)).toMatchObject({ ok: true, container: { id: 'init-0' } });
  });
  it('explains what is missing as a 400 Status', () => {
    const prev = selectLogContainer(pod, rp, 'init', true);
    expect(prev).toMatchObject({ ok: false, status: { code: 400, message: 'previous terminated container "init" in pod "web" not found' } });
    expect(selectLogContainer(pod, rp, 'side', false)).toMatchObject({ ok: false, status: { message: expect.stringContaining('waiting to start') } });
    expect(selectLogContainer(pod, rp, 'nope', false)).toMatchObject({ ok: false, status: { message: 'container nope is not valid for pod web' } });
  });
  it('defaults the container only when the pod has one', () => {
    expect(defaultContainer(pod, '')).toMatchObject({ code: 400 });
    expect(defaultContainer({ ...pod, spec: { containers: [{ name: 'only' }] } } as KubeObject, '')).toBe('only');
  });
});
