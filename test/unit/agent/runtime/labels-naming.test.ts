import { describe, expect, it } from 'vitest';
import { identityFromLabels, identityLabels, LABEL_MANAGED, LABEL_POD_UID, LABEL_RESTART_COUNT } from '../../../../agent/runtime/labels.js';
import { containerName, parseContainerName } from '../../../../agent/runtime/naming.js';
import type { ContainerIdentity } from '../../../../agent/runtime/runtime.js';

const app: ContainerIdentity = { podUid: 'u-1', podName: 'web', podNamespace: 'prod', containerName: 'nginx', kind: 'app', specHash: 'abc', restartCount: 3 };

describe('labels', () => {
  it('round-trips identity through labels', () => {
    const l = identityLabels(app, { extra: 'x' });
    expect(l).toMatchObject({
      'io.kinglet.pod.uid': 'u-1',
      'io.kinglet.pod.name': 'web',
      'io.kinglet.pod.namespace': 'prod',
      'io.kinglet.container.name': 'nginx',
      'io.kinglet.container.kind': 'app',
      'io.kinglet.container.hash': 'abc',
      'io.kinglet.container.restart-count': '3',
      'io.kinglet.managed': 'true',
      extra: 'x',
    });
    expect(identityFromLabels(l)).toEqual(app);
  });
  it('identity keys cannot be overridden by extra labels', () => {
    expect(identityLabels(app, { [LABEL_POD_UID]: 'evil', [LABEL_MANAGED]: 'false' })[LABEL_POD_UID]).toBe('u-1');
  });
  it('rejects unmanaged or incomplete label sets', () => {
    expect(identityFromLabels(undefined)).toBeUndefined();
    expect(identityFromLabels({ ...identityLabels(app), [LABEL_MANAGED]: 'false' })).toBeUndefined();
    const { [LABEL_POD_UID]: _, ...noUid } = identityLabels(app);
    expect(identityFromLabels(noUid)).toBeUndefined();
    expect(identityFromLabels({ ...identityLabels(app), 'io.kinglet.container.kind': 'weird' })).toBeUndefined();
  });
  it('a bad restart count reads as 0', () => {
    expect(identityFromLabels({ ...identityLabels(app), [LABEL_RESTART_COUNT]: 'x' })?.restartCount).toBe(0);
  });
});

describe('naming', () => {
  it('names like dockershim', () => {
    expect(containerName(app)).toBe('k8s_nginx_web_prod_u-1_3');
    expect(containerName({ ...app, kind: 'sandbox', containerName: 'whatever', restartCount: 1 })).toBe('k8s_POD_web_prod_u-1_1');
  });
  it('parses names back, with or without the leading slash', () => {
    expect(parseContainerName('/k8s_nginx_web_prod_u-1_3')).toEqual({ containerName: 'nginx', podName: 'web', podNamespace: 'prod', podUid: 'u-1', restartCount: 3 });
    expect(parseContainerName('k8s_POD_web_prod_u-1_0_ab12')?.containerName).toBe('POD');
    expect(parseContainerName('nginx')).toBeUndefined();
    expect(parseContainerName('k8s_a_b_c_d_x')).toBeUndefined();
  });
});
