import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import { validatePayloadPath } from '../../../../agent/volumes/atomic-writer.js';
import { volumePayload } from '../../../../agent/volumes/payloads.js';
import { VolumeError, type ObjectLookup } from '../../../../agent/podworker/deps.js';

const lookup: ObjectLookup = {
  configMap: (_ns, name) => (name === 'cfg' ? { metadata: { name }, data: { a: 'A', b: 'B' }, binaryData: { bin: Buffer.from([7]).toString('base64') } } : undefined),
  secret: (_ns, name) => (name === 'sec' ? { metadata: { name }, data: { pw: Buffer.from('p').toString('base64') } } : undefined),
  services: () => [],
};
const pod: KubeObject = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { b: '2', a: '1' }, annotations: { q: 'say "hi"' } },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu: '250m' } } }] },
};
const ctx = { pod, lookup, allocatable: { cpu: 4, memory: 2 ** 30 } };

function files(v: KubeObject, skipped: string[] = []) {
  const out: Record<string, [string, string]> = {};
  for (const [k, f] of volumePayload(v, ctx, (s) => skipped.push(s))) out[k] = [f.data.toString('latin1'), f.mode.toString(8)];
  return out;
}

describe('volume payloads', () => {
  it('configMap: all keys with defaultMode, or items with per-item mode', () => {
    expect(files({ configMap: { name: 'cfg' } })).toEqual({ a: ['A', '644'], b: ['B', '644'], bin: ['\x07', '644'] });
    expect(files({ configMap: { name: 'cfg', defaultMode: 0o400, items: [{ key: 'a', path: 'x/a' }, { key: 'b', path: 'b', mode: 0o600 }] } })).toEqual({
      'x/a': ['A', '400'],
      b: ['B', '600'],
    });
    expect(files({ configMap: { name: 'cfg', optional: true, items: [{ key: 'zz', path: 'z' }, { key: 'a', path: 'a' }] } })).toEqual({ a: ['A', '644'] });
  });

  it('secret: decodes data; missing sources and keys fail unless optional', () => {
    expect(files({ secret: { secretName: 'sec' } })).toEqual({ pw: ['p', '644'] });
    expect(() => files({ secret: { secretName: 'nope' } })).toThrow(new VolumeError('secret "nope" not found'));
    expect(() => files({ secret: { secretName: 'sec', items: [{ key: 'x', path: 'x' }] } })).toThrow('references non-existent secret key: x');
    expect(files({ secret: { secretName: 'nope', optional: true } })).toEqual({});
  });

  it('downwardAPI: labels/annotations as sorted quoted lines, subscripts and resources', () => {
    expect(
      files({
        downwardAPI: {
          defaultMode: 0o444,
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'ann', fieldRef: { fieldPath: 'metadata.annotations' } },
            { path: 'a', fieldRef: { fieldPath: "metadata.labels['a']" } },
            { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'requests.cpu', divisor: '1m' } },
            { path: 'lim', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
          ],
        },
      }),
    ).toEqual({ labels: ['a="1"\nb="2"', '444'], ann: ['q="say \\"hi\\""', '444'], a: ['1', '444'], cpu: ['250', '444'], lim: ['4', '444'] });
    expect(() => files({ downwardAPI: { items: [{ path: 'x', resourceFieldRef: { containerName: 'zz', resource: 'limits.cpu' } }] } })).toThrow(VolumeError);
  });

  it('projected: merges sources with the projected defaultMode and skips token sources', () => {
    const skipped: string[] = [];
    const out = files(
      { projected: { defaultMode: 0o440, sources: [{ configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } }, { secret: { name: 'sec' } }, { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }, { serviceAccountToken: { path: 't' } }] } },
      skipped,
    );
    expect(out).toEqual({ a: ['A', '440'], pw: ['p', '440'], n: ['p', '440'] });
    expect(skipped).toEqual(['serviceAccountToken']);
  });

  it('payload paths must stay inside the volume', () => {
    expect(() => validatePayloadPath('/abs')).toThrow();
    expect(() => validatePayloadPath('a/../b')).toThrow();
    expect(() => validatePayloadPath('..data')).toThrow();
    expect(() => validatePayloadPath('ok/file')).not.toThrow();
  });
});
