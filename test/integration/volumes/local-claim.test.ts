// persistentVolumeClaim volumes on the real filesystem: the claim's node-local directory survives
// the pod's teardown, so the next pod of the claim (a recreated StatefulSet pod) finds its data.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import type { ObjectLookup } from '../../../agent/podworker/deps.js';
import { HostVolumeManager } from '../../../agent/volumes/volume-manager.js';
import { logger } from '../../../lib/logger.js';

const lookup: ObjectLookup = { configMap: () => undefined, secret: () => undefined, services: () => [] };
let base: string;
let manager: HostVolumeManager;

const pod = (uid: string, claim: string, readOnly = false): KubeObject => ({
  metadata: { name: 'web-0', namespace: 'ns', uid },
  spec: {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim, ...(readOnly ? { readOnly } : {}) } }],
    containers: [{ name: 'c', image: 'busybox', terminationMessagePath: '', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
  },
});

describe('persistentVolumeClaim volumes', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'kinglet-pvc-'));
    manager = new HostVolumeManager({ rootDir: join(base, 'pods'), log: logger('test-volumes') });
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('mounts <data dir>/local-volumes/<ns>/<claim>, which outlives the pod', async () => {
    const first = await manager.setup(pod('u1', 'data-web-0'), lookup);
    const dir = join(base, 'local-volumes', 'ns', 'data-web-0');
    expect(first.mounts.c).toEqual([{ hostPath: dir, containerPath: '/data' }]);
    await writeFile(join(dir, 'state'), 'kept');
    await manager.teardown('u1');
    await expect(stat(join(base, 'pods', 'u1'))).rejects.toThrow();
    const second = await manager.setup(pod('u2', 'data-web-0', true), lookup);
    expect(second.mounts.c).toEqual([{ hostPath: dir, containerPath: '/data', readOnly: true }]);
    expect(await readFile(join(dir, 'state'), 'utf8')).toBe('kept');
  });

  it('refuses a claim name that could leave the directory', async () => {
    await expect(manager.setup(pod('u3', '../etc'), lookup)).rejects.toThrow('invalid persistentVolumeClaim');
  });
});
