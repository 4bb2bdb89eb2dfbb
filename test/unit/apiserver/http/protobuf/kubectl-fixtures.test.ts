// Bodies captured from the real kubectl 1.32 (test/fixtures/protobuf/capture-server.mjs) compared
// with the JSON the same kubectl prints for `--dry-run=client -o json` of the same command.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../../../../apiserver/http/protobuf/index.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/protobuf');
const bin = (name: string) => decodeProtobufObject(fs.readFileSync(path.join(dir, `${name}.bin`)));

/** kubectl prints Go's zero time as `"creationTimestamp": null`; the decoder omits it. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}
const dryRun = (name: string) => withoutNulls(JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')));

describe('kubectl-captured protobuf bodies', () => {
  const same = [
    'namespace',
    'configmap',
    'secret-generic',
    'secret-docker',
    'deployment',
    'service-clusterip',
    'service-nodeport',
    'serviceaccount',
    'quota',
  ];
  for (const name of same) {
    it(`${name}: decodes to what kubectl sends as JSON`, () => {
      expect(bin(name)).toEqual(dryRun(name));
    });
  }

  it('pdb: spec and metadata match (JSON writes status counters without omitempty)', () => {
    const got = bin('pdb');
    const want = dryRun('pdb') as Record<string, unknown>;
    expect(got.spec).toEqual(want.spec);
    expect(got.metadata).toEqual(want.metadata);
    expect(got.spec.minAvailable).toBe('50%');
  });

  it('job: command, restart policy and template', () => {
    expect(bin('job')).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j1', namespace: 'default' },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: 'j1', image: 'busybox', command: ['sh', '-c', 'echo hi'], resources: {} }],
            restartPolicy: 'Never',
          },
        },
      },
      status: {},
    });
  });

  it('cronjob: schedule and job template', () => {
    const cj = bin('cronjob');
    expect(cj.apiVersion).toBe('batch/v1');
    expect(cj.spec.schedule).toBe('*/5 * * * *');
    expect(cj.spec.jobTemplate.metadata).toEqual({ name: 'cj1' });
    expect(cj.spec.jobTemplate.spec.template.spec).toEqual({
      containers: [{ name: 'cj1', image: 'busybox', command: ['date'], resources: {} }],
      restartPolicy: 'OnFailure',
    });
  });

  it('secret data decodes to the original bytes', () => {
    const s = bin('secret-generic');
    expect(Buffer.from(s.data.pw, 'base64').toString()).toBe('s3cr3t!');
  });
});
