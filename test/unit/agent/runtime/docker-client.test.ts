import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { newDockerClient } from '../../../../agent/runtime/docker-client.js';

const require = createRequire(import.meta.url);

describe('docker-client', () => {
  it('loads dockerode without ssh2 (resident memory the unix-socket-only agent never uses)', () => {
    newDockerClient('/nonexistent/docker.sock');
    const loaded = Object.keys(require.cache);
    expect(loaded.some((p) => p.includes('/node_modules/dockerode/'))).toBe(true);
    expect(loaded.filter((p) => p.includes('/node_modules/ssh2/'))).toEqual([]);
  });

  it('refuses an ssh transport instead of loading it', () => {
    const modemSsh = require(createRequire(require.resolve('dockerode')).resolve('docker-modem/lib/ssh.js')) as () => unknown;
    expect(() => modemSsh()).toThrow(/only unix:\/\//);
  });
});
