// The shared halves of the owner controllers against the in-memory registry.
import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { deleteIfPresent, getLive, writeStatusIfChanged } from '../../../../apiserver/controllers/controller-kit.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';

const JOBS = resourceFor('batch', 'jobs')!;
const write = { user: { name: 'test', groups: ['system:masters'] }, fieldManager: 'test' };

describe('getLive', () => {
  it('is the object when present, undefined when gone or being deleted', async () => {
    const reg = new FakeRegistry();
    reg.seed(JOBS, { metadata: { name: 'live', namespace: 'ns' }, spec: {} });
    reg.seed(JOBS, { metadata: { name: 'going', namespace: 'ns', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] }, spec: {} });
    expect((await getLive(reg, JOBS, 'ns', 'live'))?.metadata.name).toBe('live');
    expect(reg.peek(JOBS, 'ns', 'going')).toBeDefined();
    expect(await getLive(reg, JOBS, 'ns', 'going')).toBeUndefined();
    expect(await getLive(reg, JOBS, 'ns', 'absent')).toBeUndefined();
  });
});

describe('deleteIfPresent', () => {
  it('deletes, and a missing object is no error', async () => {
    const reg = new FakeRegistry();
    reg.seed(JOBS, { metadata: { name: 'j', namespace: 'ns' }, spec: {} });
    await deleteIfPresent(reg, JOBS, 'ns', 'j', write);
    expect(reg.peek(JOBS, 'ns', 'j')).toBeUndefined();
    await expect(deleteIfPresent(reg, JOBS, 'ns', 'j', write)).resolves.toBeUndefined();
  });
});

describe('writeStatusIfChanged', () => {
  it('writes only a changed status, and never onto a namesake with another uid', async () => {
    const reg = new FakeRegistry();
    const job = reg.seed(JOBS, { metadata: { name: 'j', namespace: 'ns', uid: 'u1' }, spec: {}, status: { active: 1 } });
    expect(await writeStatusIfChanged(reg, JOBS, job, { active: 1 }, write)).toBe(false);
    expect(await writeStatusIfChanged(reg, JOBS, job, { active: 2 }, write)).toBe(true);
    expect(reg.peek(JOBS, 'ns', 'j')!.status).toEqual({ active: 2 });

    const stale = { ...job, metadata: { ...job.metadata, uid: 'old' } };
    expect(await writeStatusIfChanged(reg, JOBS, stale, { active: 9 }, write)).toBe(true);
    expect(reg.peek(JOBS, 'ns', 'j')!.status).toEqual({ active: 2 });
    // the object gone meanwhile: nothing to write, no error
    await deleteIfPresent(reg, JOBS, 'ns', 'j', write);
    await expect(writeStatusIfChanged(reg, JOBS, job, { active: 3 }, write)).resolves.toBe(true);
  });
});
