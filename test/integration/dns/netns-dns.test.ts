// The node DNS as the agent runs it by default, in throwaway network namespaces without a default
// route: the cluster DNS IP becomes a /32 on kinglet0 of a "node" namespace, and a "pod" namespace
// wired to it by a veth reaches the DNS at 10.96.0.10 by plain routing. Needs root; run under the
// Docker lock (it touches network namespaces).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureListenAddress, type IpRunner } from '../../../agent/dns/listen-address.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const isRoot = process.getuid?.() === 0;
const ID = randomUUID().slice(0, 6);
const NODE_NS = `kl-dnsn-${ID}`;
const POD_NS = `kl-dnsp-${ID}`;
const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const inNs = (ns: string, cmd: string[]): string => {
  try {
    return execFileSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', timeout: 15_000 });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '');
  }
};
const nsRunner =
  (ns: string): IpRunner =>
  async (args) => {
    try {
      execFileSync('ip', ['-n', ns, ...args], { stdio: 'pipe' });
      return { exitCode: 0, stderr: '' };
    } catch (e) {
      return { exitCode: 1, stderr: String((e as { stderr?: Buffer }).stderr ?? '') };
    }
  };

// the agent's DNS wiring from dist/, with one Service and no upstreams
const SERVER = `
import { DesiredStore } from '${join(REPO_ROOT, 'dist/agent/apiclient/desired-state.js')}';
import { startNodeDns } from '${join(REPO_ROOT, 'dist/agent/dns/node-dns.js')}';
import { pino } from 'pino';
const store = new DesiredStore();
store.applySnapshot([{ kind: 'Service', type: 'upsert', object: { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.3.4' } } }], 1);
const dns = startNodeDns({ enabled: true, upstreams: [] }, '10.96.0.10', 'cluster.local', store, { servers: [], searches: [], options: [] }, pino({ level: 'silent' }));
await dns.listening;
console.log('ready');
process.on('SIGTERM', () => dns.stop().then(() => process.exit(0)));
`;

describe.skipIf(!isRoot)('node DNS on kinglet0 in a network namespace', () => {
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    ip('netns', 'add', NODE_NS);
    ip('netns', 'add', POD_NS);
    ip('-n', NODE_NS, 'link', 'set', 'lo', 'up');
    ip('-n', POD_NS, 'link', 'set', 'lo', 'up');
    ip('link', 'add', `kd${ID}`, 'netns', NODE_NS, 'type', 'veth', 'peer', 'name', `kp${ID}`, 'netns', POD_NS);
    ip('-n', NODE_NS, 'addr', 'add', '10.250.7.1/24', 'dev', `kd${ID}`);
    ip('-n', NODE_NS, 'link', 'set', `kd${ID}`, 'up');
    ip('-n', POD_NS, 'addr', 'add', '10.250.7.2/24', 'dev', `kp${ID}`);
    ip('-n', POD_NS, 'link', 'set', `kp${ID}`, 'up');
    // like a pod: the service CIDR via its node, and no default route
    ip('-n', POD_NS, 'route', 'add', '10.96.0.0/16', 'via', '10.250.7.1');
    server = spawn('ip', ['netns', 'exec', NODE_NS, process.execPath, '--input-type=module', '-e', SERVER], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server not ready: ${out}`)), 20_000);
      server!.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('ready')) {
          clearTimeout(t);
          resolve();
        }
      });
      server!.stderr!.on('data', (d) => (out += String(d)));
      server!.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    for (const ns of [NODE_NS, POD_NS]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  });

  it('puts the cluster DNS IP on kinglet0 once, however often it is ensured', async () => {
    await ensureListenAddress('10.96.0.10', nsRunner(NODE_NS));
    await ensureListenAddress('10.96.0.10', nsRunner(NODE_NS));
    const addrs = ip('-n', NODE_NS, '-o', '-4', 'addr', 'show', 'dev', 'kinglet0');
    expect(addrs.match(/inet 10\.96\.0\.10\/32/g)).toHaveLength(1);
    expect(ip('-n', NODE_NS, '-o', 'link', 'show', 'dev', 'kinglet0')).toMatch(/UP/);
  });

  it('a pod namespace resolves a Service at 10.96.0.10 over UDP; outside names are refused', () => {
    const web = inNs(POD_NS, ['busybox', 'nslookup', 'web.default.svc.cluster.local', '10.96.0.10']);
    expect(web).toMatch(/Address:\s+10\.96\.3\.4/);
    expect(inNs(POD_NS, ['busybox', 'nslookup', 'nope.default.svc.cluster.local', '10.96.0.10'])).toMatch(/NXDOMAIN/);
    expect(inNs(POD_NS, ['busybox', 'nslookup', 'example.test', '10.96.0.10'])).toMatch(/REFUSED/);
  });
});
