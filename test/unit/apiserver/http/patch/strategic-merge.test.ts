import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from '../../../../../apiserver/http/patch/index.js';
import type { KubeObject } from '../../../../../api/types.js';
import { deployment } from './fixtures.js';

const DEP = 'apps/v1/Deployment';
const containers = (o: KubeObject) => o.spec.template.spec.containers;

describe('applyStrategicMergePatch (kubectl three-way patch shapes)', () => {
  it('changes one container image by name, honouring $setElementOrder and stripping it', () => {
    const d = deployment();
    const out = applyStrategicMergePatch(d, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }],
            containers: [{ name: 'web', image: 'nginx:1.27' }],
          },
        },
      },
    }, DEP);
    expect(containers(out).map((c: { name: string }) => c.name)).toEqual(['side', 'web']);
    const web = containers(out)[1];
    expect(web.image).toBe('nginx:1.27');
    expect(web.env).toHaveLength(2); // untouched fields of the merged item survive
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
    expect(containers(d)[0].image).toBe('nginx:1.25'); // input not mutated
  });

  it('deletes an env var with $patch: delete and keeps the others', () => {
    const out = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: {
        '$setElementOrder/containers': [{ name: 'web' }, { name: 'side' }],
        containers: [{
          name: 'web',
          '$setElementOrder/env': [{ name: 'B' }],
          env: [{ name: 'A', $patch: 'delete' }],
        }],
      } } },
    }, DEP);
    expect(containers(out)[0].env).toEqual([{ name: 'B', value: '2' }]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('null removes a label', () => {
    const out = applyStrategicMergePatch(deployment(), { metadata: { labels: { tier: null } } }, DEP);
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('replaces lists without a merge key (args, command, tolerations)', () => {
    const out = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'web', args: ['-z'] }], tolerations: [{ key: 'k', operator: 'Exists' }] } } },
    }, DEP);
    expect(containers(out)[0].args).toEqual(['-z']);
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'k', operator: 'Exists' }]);
  });

  it('adds a new keyed item and merges ports by containerPort', () => {
    const out = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [
        { name: 'web', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] },
        { name: 'extra', image: 'redis' },
      ] } } },
    }, DEP);
    expect(containers(out).map((c: { name: string }) => c.name)).toEqual(['web', 'side', 'extra']);
    expect(containers(out)[0].ports).toEqual([
      { containerPort: 80, protocol: 'TCP', name: 'http' },
      { containerPort: 443 },
    ]);
  });

  it('$patch: replace on a map and on a list', () => {
    const d = deployment();
    const m = applyStrategicMergePatch(d, { metadata: { labels: { $patch: 'replace', only: 'this' } } }, DEP);
    expect(m.metadata.labels).toEqual({ only: 'this' });
    const l = applyStrategicMergePatch(d, {
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 'x' }] } } },
    }, DEP);
    expect(containers(l)).toEqual([{ name: 'solo', image: 'x' }]);
  });

  it('$retainKeys drops unlisted keys (Deployment strategy switch to Recreate)', () => {
    const out = applyStrategicMergePatch(deployment(), {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    }, DEP);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('merges finalizers as a set and removes with $deleteFromPrimitiveList', () => {
    const d = deployment();
    d.metadata.finalizers = ['a', 'b'];
    const added = applyStrategicMergePatch(d, { metadata: { finalizers: ['b', 'c'] } }, DEP);
    expect(added.metadata.finalizers).toEqual(['a', 'b', 'c']);
    const removed = applyStrategicMergePatch(added, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, DEP);
    expect(removed.metadata.finalizers).toEqual(['b', 'c']);
  });

  it('merges status.conditions by type', () => {
    const d = deployment();
    d.status = { conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True' }] };
    const out = applyStrategicMergePatch(d, { status: { conditions: [{ type: 'Available', status: 'True' }] } }, DEP);
    expect(out.status.conditions).toEqual([{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }]);
  });

  it('uses the pod spec schema for bare Pods and CronJobs, and Service ports by port', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } };
    const p = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'b', image: '3' }] } }, 'v1/Pod');
    expect(p.spec.containers).toEqual([{ name: 'a', image: '1' }, { name: 'b', image: '3' }]);

    const cj: KubeObject = { metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }] } } } } } };
    const c = applyStrategicMergePatch(cj, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } } } }, 'batch/v1/CronJob');
    expect(c.spec.jobTemplate.spec.template.spec.containers).toEqual([{ name: 'a', image: '2' }]);

    const svc: KubeObject = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const s = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, 'v1/Service');
    expect(s.spec.ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });

  it('rejects a keyed item without its merge key', () => {
    expect(() => applyStrategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, DEP))
      .toThrow(/merge key: name/);
  });
});
