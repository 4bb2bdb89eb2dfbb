import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { startNamespaceController, syncNamespace } from '../../../../apiserver/controllers/namespace-controller.js';
import { startControllers } from '../../../../apiserver/controllers/index.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';

const NS = resourceFor('', 'namespaces')!;
const PODS = resourceFor('', 'pods')!;
const NODES = resourceFor('', 'nodes')!;
const CMS = resourceFor('', 'configmaps')!;
const DEPLOY = resourceFor('apps', 'deployments')!;
const log = pino({ level: 'silent' });
const admin = { user: { name: 'admin', groups: ['system:masters'] } };

function ns(name: string) {
  return { metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}
const pod = (namespace: string, name: string, nodeName?: string) => ({
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'x' }], ...(nodeName ? { nodeName } : {}) },
});

async function terminating(reg: FakeRegistry, name: string): Promise<void> {
  reg.seed(NS, ns(name));
  await reg.delete(NS, undefined, name, admin);
}

describe('namespace controller', () => {
  it('leaves active namespaces alone', async () => {
    const reg = new FakeRegistry();
    reg.seed(NS, ns('live'));
    reg.seed(CMS, { metadata: { name: 'c', namespace: 'live' } });
    expect(await syncNamespace(reg, 'live')).toBe(false);
    expect(reg.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  it('deletes all content, then finalizes and the namespace disappears', async () => {
    const reg = new FakeRegistry();
    await terminating(reg, 'gone');
    reg.seed(CMS, { metadata: { name: 'c1', namespace: 'gone' } });
    reg.seed(DEPLOY, { metadata: { name: 'd1', namespace: 'gone' }, spec: {} });
    reg.seed(CMS, { metadata: { name: 'other', namespace: 'keep' } });
    reg.calls.length = 0;
    expect(await syncNamespace(reg, 'gone')).toBe(false);
    expect(reg.calls).toContain('delete configmaps gone/c1');
    expect(reg.calls).toContain('delete deployments gone/d1');
    expect(reg.calls).toContain('update namespaces gone finalize');
    expect(reg.peek(NS, undefined, 'gone')).toBeUndefined();
    expect(reg.all(CMS, 'gone')).toEqual([]);
    expect(reg.all(CMS, 'keep')).toHaveLength(1);
  });

  it('deletes with Background propagation as the namespace-controller service account', async () => {
    const reg = new FakeRegistry();
    await terminating(reg, 'x');
    reg.seed(CMS, { metadata: { name: 'c1', namespace: 'x' } });
    const spy = vi.spyOn(reg, 'delete');
    await syncNamespace(reg, 'x');
    expect(spy).toHaveBeenCalledWith(CMS, 'x', 'c1', expect.objectContaining({
      propagationPolicy: 'Background',
      user: { name: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:masters'] },
    }));
  });

  it('force-deletes pods that are unbound or on a missing node, waits for pods on a real node', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, { metadata: { name: 'n1' }, spec: {}, status: {} });
    await terminating(reg, 'app');
    reg.seed(PODS, pod('app', 'pending'));
    reg.seed(PODS, pod('app', 'orphan', 'ghost'));
    reg.seed(PODS, pod('app', 'running', 'n1'));
    expect(await syncNamespace(reg, 'app')).toBe(true);
    expect(reg.calls).toContain('delete pods app/pending grace=0');
    expect(reg.calls).toContain('delete pods app/orphan grace=0');
    expect(reg.calls).toContain('delete pods app/running');
    expect(reg.all(PODS, 'app').map((p) => p.metadata.name)).toEqual(['running']);
    const status = reg.peek(NS, undefined, 'app')!.status;
    expect(status.phase).toBe('Terminating');
    const remain = status.conditions.find((c: { type: string }) => c.type === 'NamespaceContentRemaining');
    expect(remain).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods has 1 resource instances' });
    expect(reg.calls).not.toContain('update namespaces app finalize');

    // A second pass does not delete the graceful pod again; once the agent removes it, finalize.
    reg.calls.length = 0;
    expect(await syncNamespace(reg, 'app')).toBe(true);
    expect(reg.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    await reg.delete(PODS, 'app', 'running', { ...admin, gracePeriodSeconds: 0 });
    expect(await syncNamespace(reg, 'app')).toBe(false);
    expect(reg.peek(NS, undefined, 'app')).toBeUndefined();
  });

  it('reports objects held by finalizers and does not finalize', async () => {
    const reg = new FakeRegistry();
    await terminating(reg, 'f');
    reg.seed(CMS, { metadata: { name: 'held', namespace: 'f', finalizers: ['example.com/keep'] } });
    expect(await syncNamespace(reg, 'f')).toBe(true);
    const conds = reg.peek(NS, undefined, 'f')!.status.conditions;
    expect(conds.find((c: { type: string }) => c.type === 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      message: 'Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances',
    });
  });

  it('records delete failures in NamespaceDeletionContentFailure and retries later', async () => {
    const reg = new FakeRegistry();
    await terminating(reg, 'e');
    reg.seed(CMS, { metadata: { name: 'c', namespace: 'e' } });
    reg.injectError('delete configmaps e/c', new Error('disk on fire'));
    expect(await syncNamespace(reg, 'e')).toBe(true);
    const cond = reg.peek(NS, undefined, 'e')!.status.conditions.find((c: { type: string }) => c.type === 'NamespaceDeletionContentFailure');
    expect(cond).toMatchObject({ status: 'True', reason: 'ContentDeletionFailed' });
    expect(cond.message).toContain('configmaps/c: disk on fire');
    expect(await syncNamespace(reg, 'e')).toBe(false);
    expect(reg.peek(NS, undefined, 'e')).toBeUndefined();
  });

  it('keeps other spec finalizers', async () => {
    const reg = new FakeRegistry();
    reg.seed(NS, { metadata: { name: 'o' }, spec: { finalizers: ['kubernetes', 'example.com/x'] } });
    await reg.delete(NS, undefined, 'o', admin);
    expect(await syncNamespace(reg, 'o')).toBe(false);
    expect(reg.peek(NS, undefined, 'o')!.spec.finalizers).toEqual(['example.com/x']);
  });

  it('runs as a controller: deleting a namespace empties and removes it', async () => {
    const reg = new FakeRegistry();
    reg.seed(NS, ns('demo'));
    reg.seed(PODS, pod('demo', 'p'));
    reg.seed(CMS, { metadata: { name: 'c', namespace: 'demo' } });
    const ac = new AbortController();
    const running = startControllers(reg, {}, { log, signal: ac.signal });
    await vi.waitFor(() => expect(running.hasSynced()).toBe(true));
    await reg.delete(NS, undefined, 'demo', admin);
    await vi.waitFor(() => expect(reg.peek(NS, undefined, 'demo')).toBeUndefined());
    expect(reg.all(PODS, 'demo')).toEqual([]);
    ac.abort();
    await running.done;
  });

  it('rechecks while a pod drains, woken by the pod watch', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, { metadata: { name: 'n1' }, spec: {}, status: {} });
    reg.seed(NS, ns('slow'));
    reg.seed(PODS, pod('slow', 'p', 'n1'));
    const ac = new AbortController();
    const h = startNamespaceController(reg, { log, signal: ac.signal, recheckMs: 60_000 });
    await h.synced;
    await reg.delete(NS, undefined, 'slow', admin);
    await vi.waitFor(() => expect(reg.peek(PODS, 'slow', 'p')?.metadata.deletionTimestamp).toBeTruthy());
    // the "agent" finishes the pod: the DELETED pod event nudges the namespace before recheckMs
    await reg.delete(PODS, 'slow', 'p', { ...admin, gracePeriodSeconds: 0 });
    await vi.waitFor(() => expect(reg.peek(NS, undefined, 'slow')).toBeUndefined());
    ac.abort();
    await h.done;
  });
});
