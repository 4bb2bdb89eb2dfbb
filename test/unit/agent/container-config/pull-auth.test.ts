import { describe, expect, it } from 'vitest';
import { parseImageRegistry, pullAuthFor } from '../../../../agent/container-config/pull-auth.js';
import { b64, makeLookup, pod } from './fixtures.js';

function dockerConfigSecret(name: string, auths: Record<string, { username?: string; password?: string; auth?: string }>) {
  return { kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', metadata: { name, namespace: 'ns1' }, data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } };
}

describe('parseImageRegistry', () => {
  it('finds the registry host, defaulting to docker.io', () => {
    expect(parseImageRegistry('busybox')).toEqual({ host: 'docker.io', path: 'library/busybox' });
    expect(parseImageRegistry('user/app:1.0')).toEqual({ host: 'docker.io', path: 'user/app' });
    expect(parseImageRegistry('127.0.0.1:5000/x')).toEqual({ host: '127.0.0.1:5000', path: 'x' });
    expect(parseImageRegistry('localhost/team/app@sha256:abc')).toEqual({ host: 'localhost', path: 'team/app' });
    expect(parseImageRegistry('quay.io/org/img:tag')).toEqual({ host: 'quay.io', path: 'org/img' });
  });
});

describe('pullAuthFor', () => {
  const lookup = makeLookup({
    secrets: [
      dockerConfigSecret('local', { '127.0.0.1:5000': { username: 'u', password: 'p' } }),
      dockerConfigSecret('hub', { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpw') } }),
      dockerConfigSecret('wild', { '*.example.com': { username: 'w', password: 'x' }, 'reg.example.com/team': { username: 'team', password: 't' } }),
      { kind: 'Secret', type: 'kubernetes.io/dockercfg', metadata: { name: 'legacy', namespace: 'ns1' }, data: { '.dockercfg': b64(JSON.stringify({ 'old.example.org': { auth: b64('o:l') } })) } },
    ],
  });
  const all = pod({ imagePullSecrets: [{ name: 'local' }, { name: 'hub' }, { name: 'wild' }, { name: 'legacy' }, { name: 'missing' }] });

  it('matches a loopback registry with a port', () => {
    expect(pullAuthFor(all, '127.0.0.1:5000/x', lookup)).toEqual([{ serveraddress: '127.0.0.1:5000', username: 'u', password: 'p' }]);
    expect(pullAuthFor(all, '127.0.0.1:5001/x', lookup)).toBeUndefined();
  });

  it('matches Docker Hub images and decodes auth', () => {
    expect(pullAuthFor(all, 'busybox:latest', lookup)).toEqual([{ serveraddress: 'https://index.docker.io/v1/', username: 'hubuser', password: 'hubpw', auth: b64('hubuser:hubpw') }]);
  });

  it('matches wildcards and path prefixes, most specific first', () => {
    expect(pullAuthFor(all, 'reg.example.com/team/app', lookup)?.map((a) => a.username)).toEqual(['team', 'w']);
    expect(pullAuthFor(all, 'reg.example.com/other/app', lookup)?.map((a) => a.username)).toEqual(['w']);
    expect(pullAuthFor(all, 'a.b.example.com/app', lookup)).toBeUndefined();
  });

  it('reads legacy .dockercfg secrets and ignores pods without pull secrets', () => {
    expect(pullAuthFor(all, 'old.example.org/app', lookup)?.[0]).toMatchObject({ username: 'o', password: 'l' });
    expect(pullAuthFor(pod({}), '127.0.0.1:5000/x', lookup)).toBeUndefined();
  });
});
