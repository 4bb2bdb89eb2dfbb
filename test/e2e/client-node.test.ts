// The official JavaScript client (@kubernetes/client-node 1.x) against a real apiserver: typed CRUD,
// both patch flavours, watch events, and errors as ApiException codes.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';

const NS = 'e2e-client';

function codeOf(e: unknown): number | undefined {
  return (e as { code?: number }).code;
}

describe('@kubernetes/client-node', () => {
  let srv: TestApiserver;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    srv = await startApiserver();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('lists namespaces', async () => {
    const list = await core.listNamespace();
    const names = list.items.map((n) => n.metadata?.name);
    expect(names).toContain(NS);
    expect(names).toContain('default');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('creates a configmap and reads it back', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'cm1', labels: { app: 'x' } }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.namespace).toBe(NS);
    const read = await core.readNamespacedConfigMap({ name: 'cm1', namespace: NS });
    expect(read.data).toEqual({ a: '1' });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
  });

  it('patches with json-patch (the typed default)', async () => {
    const patched = await core.patchNamespacedConfigMap({
      name: 'cm1',
      namespace: NS,
      body: [
        { op: 'replace', path: '/data/a', value: '2' },
        { op: 'add', path: '/data/b', value: 'new' },
      ],
    });
    expect(patched.data).toEqual({ a: '2', b: 'new' });
  });

  it('patches with merge-patch via header options', async () => {
    const patched = await core.patchNamespacedConfigMap(
      { name: 'cm1', namespace: NS, body: { data: { b: null, c: '3' }, metadata: { labels: { extra: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ a: '2', c: '3' });
    expect(patched.metadata?.labels).toEqual({ app: 'x', extra: 'yes' });
  });

  it('surfaces 404 and 409 as ApiException codes', async () => {
    const missing = await core.readNamespacedConfigMap({ name: 'nope', namespace: NS }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(k8s.ApiException);
    expect(codeOf(missing)).toBe(404);
    const dup = await core
      .createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cm1' } } })
      .catch((e: unknown) => e);
    expect(codeOf(dup)).toBe(409);
    expect(JSON.parse((dup as k8s.ApiException<string>).body).reason).toBe('AlreadyExists');
  });

  it('watches pods: ADDED, MODIFIED, DELETED', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    let notify: () => void = () => undefined;
    const waitFor = (type: string) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${type} event; saw ${seen.join(',')}`)), 15_000);
        const check = () => {
          if (seen.includes(type)) {
            clearTimeout(t);
            resolve();
          }
        };
        notify = check;
        check();
      });
    const ctrl = await watch.watch(
      `/api/v1/namespaces/${NS}/pods`,
      {},
      (type, obj: k8s.V1Pod) => {
        if (obj.metadata?.name === 'watched') seen.push(type);
        notify();
      },
      () => undefined,
    );
    try {
      await core.createNamespacedPod({
        namespace: NS,
        body: { metadata: { name: 'watched' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      });
      await waitFor('ADDED');
      await core.patchNamespacedPod(
        { name: 'watched', namespace: NS, body: { metadata: { labels: { touched: 'yes' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await waitFor('MODIFIED');
      await core.deleteNamespacedPod({ name: 'watched', namespace: NS, gracePeriodSeconds: 0 });
      await waitFor('DELETED');
      expect(seen[0]).toBe('ADDED');
      expect(seen.at(-1)).toBe('DELETED');
    } finally {
      ctrl.abort();
    }
  });
});
