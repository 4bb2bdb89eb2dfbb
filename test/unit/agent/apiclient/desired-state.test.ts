import { describe, expect, it } from 'vitest';
import { DesiredStore } from '../../../../agent/apiclient/desired-state.ts';
import type { DesiredChange } from '../../../../agent/apiclient/types.ts';
import type { KubeObject } from '../../../../api/types.ts';

const pod = (name: string, uid: string, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, uid } });
const obj = (kind: string, name: string, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: ns } });
const up = (kind: DesiredChange['kind'], object: KubeObject): DesiredChange => ({ kind, type: 'upsert', object });

describe('DesiredStore', () => {
  it('is not synced until the first snapshot', () => {
    const s = new DesiredStore();
    expect(s.synced()).toBe(false);
    s.applyDelta([up('Pod', pod('a', 'u1'))], 3);
    expect(s.synced()).toBe(false);
    s.applySnapshot([], 4);
    expect(s.synced()).toBe(true);
    expect(s.revision()).toBe(4);
  });

  it('a snapshot lists every object as upsert, then deletes what vanished', () => {
    const s = new DesiredStore();
    const seen: Array<[DesiredChange[], boolean]> = [];
    s.onChange((c, snap) => seen.push([c, snap]));
    s.applySnapshot([up('Pod', pod('a', 'u1')), up('Pod', pod('b', 'u2')), up('ConfigMap', obj('ConfigMap', 'cm')), up('Secret', obj('Secret', 's'))], 1);
    const changes = s.applySnapshot([up('Pod', pod('a', 'u1')), up('Secret', obj('Secret', 's'))], 2);
    expect(changes.map((c) => `${c.type} ${c.kind} ${c.object.metadata.name}`)).toEqual([
      'upsert Pod a',
      'upsert Secret s',
      'delete Pod b',
      'delete ConfigMap cm',
    ]);
    expect(seen).toHaveLength(2);
    expect(seen[1]![1]).toBe(true);
    expect(s.pods().map((p) => p.metadata.name)).toEqual(['a']);
    expect(s.configMap('default', 'cm')).toBeUndefined();
    expect(s.secret('default', 's')).toBeDefined();
  });

  it('a pod recreated under the same name is a different pod (keyed by uid)', () => {
    const s = new DesiredStore();
    s.applySnapshot([up('Pod', pod('a', 'old'))], 1);
    const changes = s.applySnapshot([up('Pod', pod('a', 'new'))], 2);
    expect(changes.map((c) => `${c.type} ${c.object.metadata.uid}`)).toEqual(['upsert new', 'delete old']);
    expect(s.pod('default', 'a')?.metadata.uid).toBe('new');
    expect(s.podByUid('old')).toBeUndefined();
  });

  it('deltas upsert and delete; a delete carries the held copy', () => {
    const s = new DesiredStore();
    const full = { ...obj('ConfigMap', 'cm'), data: { k: 'v' } };
    s.applySnapshot([up('ConfigMap', full)], 1);
    const seen: boolean[] = [];
    s.onChange((_c, snap) => seen.push(snap));
    const out = s.applyDelta([{ kind: 'ConfigMap', type: 'delete', object: obj('ConfigMap', 'cm') }, up('Pod', pod('p', 'u'))], 7);
    expect(out[0]).toEqual({ kind: 'ConfigMap', type: 'delete', object: full });
    expect(s.configMap('default', 'cm')).toBeUndefined();
    expect(s.pods()).toHaveLength(1);
    expect(s.revision()).toBe(7);
    expect(seen).toEqual([false]);
  });

  it('looks up by namespace/name and lists services per namespace', () => {
    const s = new DesiredStore();
    s.applySnapshot(
      [up('Service', obj('Service', 'a', 'x')), up('Service', obj('Service', 'b', 'x')), up('Service', obj('Service', 'c', 'y')), up('Endpoints', obj('Endpoints', 'a', 'x'))],
      1,
    );
    expect(s.services('x').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    expect(s.services('z')).toEqual([]);
    expect(s.list('Service')).toHaveLength(3);
    expect(s.endpoints('x', 'a')).toBeDefined();
    expect(s.endpoints('y', 'a')).toBeUndefined();
  });

  it('ignores delete entries inside a snapshot and keeps notifying after a listener throws', () => {
    const s = new DesiredStore();
    const got: number[] = [];
    s.onChange(() => {
      throw new Error('boom');
    });
    const off = s.onChange((c) => got.push(c.length));
    expect(() => s.applySnapshot([{ kind: 'Pod', type: 'delete', object: pod('a', 'u') }], 1)).toThrow('boom');
    expect(s.pods()).toEqual([]);
    expect(got).toEqual([0]);
    off();
    expect(() => s.applyDelta([up('Pod', pod('a', 'u'))], 2)).toThrow('boom');
    expect(got).toEqual([0]);
  });

  it('holds Nodes for routing and lists every Service/Endpoints across namespaces', () => {
    const s = new DesiredStore();
    const kinds: string[] = [];
    s.onChange((c) => kinds.push(...c.map((x) => `${x.type} ${x.kind}`)));
    const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR: '10.244.2.0/24' } });
    s.applySnapshot([up('Node', node('n2')), up('Service', obj('Service', 'a', 'x')), up('Service', obj('Service', 'b', 'y'))], 1);
    expect(s.nodes().map((n) => n.spec.podCIDR)).toEqual(['10.244.2.0/24']);
    expect(s.list('Service').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    s.applyDelta([{ kind: 'Node', type: 'delete', object: node('n2') }], 2);
    expect(s.nodes()).toEqual([]);
    expect(kinds).toContain('delete Node');
  });
});
