import { describe, expect, it } from 'vitest';
import { authFor, parseImageRef, pullTarget, registryHost, toDockerAuth } from '../../../../agent/runtime/image-ref.js';

describe('image references', () => {
  it('parses registry, repository, tag and digest', () => {
    expect(parseImageRef('busybox')).toEqual({ registry: 'docker.io', repository: 'busybox', tag: undefined, digest: undefined });
    expect(parseImageRef('library/busybox:1.36')).toMatchObject({ registry: 'docker.io', repository: 'library/busybox', tag: '1.36' });
    expect(parseImageRef('127.0.0.1:5000/a/b:1')).toMatchObject({ registry: '127.0.0.1:5000', repository: '127.0.0.1:5000/a/b', tag: '1' });
    expect(parseImageRef('127.0.0.1:5000/a/b')).toMatchObject({ registry: '127.0.0.1:5000', tag: undefined });
    expect(parseImageRef('localhost/x')).toMatchObject({ registry: 'localhost' });
    expect(parseImageRef('quay.io/x/y@sha256:abc')).toMatchObject({ registry: 'quay.io', repository: 'quay.io/x/y', digest: 'sha256:abc' });
  });
  it('pulls latest when no tag is given, never all tags', () => {
    expect(pullTarget('busybox')).toEqual({ fromImage: 'busybox', tag: 'latest' });
    expect(pullTarget('127.0.0.1:5000/a:2')).toEqual({ fromImage: '127.0.0.1:5000/a', tag: '2' });
    expect(pullTarget('a/b@sha256:abc')).toEqual({ fromImage: 'a/b', tag: 'sha256:abc' });
  });
  it('normalises registry addresses from docker config keys', () => {
    expect(registryHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryHost('http://127.0.0.1:5001')).toBe('127.0.0.1:5001');
    expect(registryHost('127.0.0.1:5001')).toBe('127.0.0.1:5001');
  });
  it('picks the credentials of the image registry', () => {
    const auths = [
      { serveraddress: 'https://index.docker.io/v1/', username: 'hub' },
      { serveraddress: '127.0.0.1:5001', username: 'local' },
    ];
    expect(authFor('127.0.0.1:5001/x:1', auths)?.username).toBe('local');
    expect(authFor('busybox', auths)?.username).toBe('hub');
    expect(authFor('127.0.0.1:5000/x:1', auths)).toBeUndefined();
    expect(authFor('busybox', undefined)).toBeUndefined();
  });
  it('splits a bare auth field into username and password', () => {
    const auth = Buffer.from('u:p:w').toString('base64');
    expect(toDockerAuth({ serveraddress: 'r', auth })).toEqual({ username: 'u', password: 'p:w', serveraddress: 'r' });
    expect(toDockerAuth({ serveraddress: 'r', username: 'a', password: 'b', auth })).toEqual({ username: 'a', password: 'b', serveraddress: 'r' });
  });
});
