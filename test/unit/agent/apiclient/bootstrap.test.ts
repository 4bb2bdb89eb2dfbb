import { mkdtempSync, readFileSync, statSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ensureCredentials, fetchBootstrapInfo } from '../../../../agent/apiclient/bootstrap.ts';
import { createCA, certFingerprintSha256, certSubject } from '../../../../lib/tls.ts';
import { FakeControlPlane } from './fake-control-plane.ts';

const log = pino({ level: 'silent' });
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kinglet-bootstrap-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const tokenFor = (caPem: string, secret = '0123456789abcdef') => `K10${certFingerprintSha256(caPem)}::abc123.${secret}`;

async function plane(): Promise<{ cp: FakeControlPlane; url: string }> {
  const cp = new FakeControlPlane();
  await cp.start();
  cleanups.push(() => cp.kill());
  const boot = await cp.startBootstrap();
  cleanups.push(boot.close);
  return { cp, url: boot.url };
}

describe('bootstrap', () => {
  it('refuses a server whose CA does not match the token, writing nothing', async () => {
    const cp = new FakeControlPlane();
    const other = createCA('impostor');
    const boot = await cp.startBootstrap(other.certPem);
    cleanups.push(boot.close);
    const dir = tmp();
    await expect(ensureCredentials({ server: boot.url, token: tokenFor(cp.ca.certPem), nodeName: 'n1', dataDir: dir, log })).rejects.toThrow(
      "the server's CA does not match the join token",
    );
    expect(existsSync(join(dir, 'node.key'))).toBe(false);
  });

  it('fetches the bootstrap document without trusting the server certificate', async () => {
    const { cp, url } = await plane();
    const info = await fetchBootstrapInfo(url);
    expect(info).toEqual({ caPem: cp.ca.certPem, agentEndpoint: cp.endpoint });
  });

  it('rejects a malformed token before any network traffic', async () => {
    await expect(ensureCredentials({ server: 'https://127.0.0.1:1', token: 'nope', nodeName: 'n1', dataDir: tmp(), log })).rejects.toThrow('invalid join token format');
  });

  it('joins, persists the credential, and reuses it on restart without a token', async () => {
    const { cp, url } = await plane();
    cp.joinToken = tokenFor(cp.ca.certPem);
    const dir = tmp();
    const creds = await ensureCredentials({ server: url, token: cp.joinToken, nodeName: 'n1', dataDir: dir, log });
    expect(certSubject(creds.certPem)).toEqual({ commonName: 'system:node:n1', organization: ['system:nodes'] });
    expect(creds.caPem).toBe(cp.ca.certPem);
    expect(creds.agentEndpoint).toBe(cp.endpoint);
    expect(statSync(join(dir, 'node.key')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8'))).toEqual(cp.cluster);
    expect(JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8'))).toEqual({ server: url, agentEndpoint: cp.endpoint });

    cp.kill(); // a restart must not need the server to hand out anything
    const again = await ensureCredentials({ server: url, nodeName: 'n1', dataDir: dir, log });
    expect(again.certPem).toBe(creds.certPem);
    expect(again.cluster.podCidr).toBe('10.244.3.0/24');
  });

  it('reports an unknown token as a refusal', async () => {
    const { cp, url } = await plane();
    cp.joinToken = tokenFor(cp.ca.certPem, 'ffffffffffffffff');
    await expect(ensureCredentials({ server: url, token: tokenFor(cp.ca.certPem), nodeName: 'n1', dataDir: tmp(), log })).rejects.toThrow(
      'join refused: unknown bootstrap token',
    );
  });

  it('needs a token when there is no usable credential', async () => {
    const dir = tmp();
    await expect(ensureCredentials({ server: 'https://127.0.0.1:1', nodeName: 'n1', dataDir: dir, log })).rejects.toThrow(/no usable node credential .* no --token given/);
  });

  it('does not reuse a credential issued to another node name, nor a corrupt one', async () => {
    const { cp, url } = await plane();
    cp.joinToken = tokenFor(cp.ca.certPem);
    const dir = tmp();
    await ensureCredentials({ server: url, token: cp.joinToken, nodeName: 'n1', dataDir: dir, log });
    await expect(ensureCredentials({ server: url, nodeName: 'n2', dataDir: dir, log })).rejects.toThrow(/system:node:n2/);
    writeFileSync(join(dir, 'node.crt'), 'garbage');
    await expect(ensureCredentials({ server: url, nodeName: 'n1', dataDir: dir, log })).rejects.toThrow(/unreadable node credential/);
    // with a token the agent simply joins again
    const fresh = await ensureCredentials({ server: url, token: cp.joinToken, nodeName: 'n1', dataDir: dir, log });
    expect(readFileSync(join(dir, 'node.crt'), 'utf8')).toBe(fresh.certPem);
  });
});
