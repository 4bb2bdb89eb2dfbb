// A real 3-node lab (kinglet lab up) and the real kubectl: every node routes the other nodes'
// podCIDRs, pods on different nodes talk directly and the server sees the client pod's own IP, pod
// traffic leaving the cluster CIDR is masqueraded to its node, a departed node's route goes away,
// and `lab down` leaves no namespace, link, process or file behind.
// Traffic goes only between lab namespaces (no default route there), never from the host to a pod.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.js';
import { until } from './agent-cluster.js';
import { httpGetArgv, ipClientPod, ipEchoPod, kinglet, startLab, type Lab } from './lab-cluster.js';

const skip = (await dockerSkipReason()) ?? (process.getuid?.() !== 0 ? 'the lab needs root' : undefined);

interface NodeInfo {
  name: string;
  podCIDR: string;
  ip: string;
}

describe.skipIf(skip)('lab e2e: pod network across nodes', () => {
  let lab: Lab;
  let nodes: NodeInfo[] = [];
  let labId = '';
  let down: { seconds: number; code: number } | undefined;

  beforeAll(async () => {
    lab = await startLab(3);
    labId = /^lab: (\w+)/m.exec((await lab.status()).stdout)![1]!;
    const doc = JSON.parse(await lab.k.ok(['get', 'nodes', '-o', 'json']));
    nodes = doc.items.map((n: any) => ({ name: n.metadata.name, podCIDR: n.spec.podCIDR, ip: n.status.addresses.find((a: any) => a.type === 'InternalIP').address }));
    console.log(`[lab] up in ${lab.upSeconds.toFixed(1)}s\n${lab.upOutput}`);
  }, 200_000);

  afterAll(async () => {
    if (lab && !down) await lab.down();
  }, 120_000);

  const podJson = async (name: string): Promise<any> => JSON.parse(await lab.k.ok(['get', 'pod', name, '-o', 'json']));
  const runningIp = (name: string) =>
    until(`${name} Running with an IP`, async () => {
      const p = await podJson(name);
      return p.status?.phase === 'Running' && p.status.podIP ? (p.status.podIP as string) : undefined;
    }, 60_000);

  it('status lists the three nodes, their processes and the registry', async () => {
    const s = await lab.status();
    expect(s.code).toBe(0);
    for (const n of ['node1', 'node2', 'node3']) expect(s.stdout).toMatch(new RegExp(`^${n}\\s+\\S+\\s+kl-${labId}-${n}\\s+True\\s+\\d+ running\\s+\\d+ running$`, 'm'));
    expect(s.stdout).toMatch(/^registry: \d+\.\d+\.\d+\.\d+:\d+$/m);
    expect(nodes.map((n) => n.name).sort()).toEqual(['node1', 'node2', 'node3']);
    expect(new Set(nodes.map((n) => n.podCIDR)).size).toBe(3);
  });

  it('every node has no default route and a host-gw route to each other node podCIDR', async () => {
    for (const self of nodes) {
      const r = await until(`${self.name} routes`, async () => {
        const out = (await lab.exec(self.name, ['ip', '-4', 'route'])).stdout;
        return nodes.filter((o) => o.name !== self.name).every((o) => out.includes(`${o.podCIDR} via ${o.ip} `)) ? out : undefined;
      }, 20_000);
      expect(r).not.toMatch(/^default/m);
      expect(r).toMatch(/^10\.96\.0\.0\/16 dev kinglet0 /m);
      const fwd = (await lab.exec(self.name, ['iptables', '-S', 'FORWARD'])).stdout;
      expect(fwd).toContain('-A FORWARD -j KINGLET-FORWARD');
    }
  });

  it('a pod on node1 reaches a pod on node3 directly and the server sees the client pod IP', async () => {
    await lab.k.ok(['apply', '-f', '-'], { input: ipEchoPod('echo', 'node3', lab.busybox) });
    const serverIp = await runningIp('echo');
    await lab.k.ok(['apply', '-f', '-'], { input: ipClientPod('client', 'node1', lab.busybox, serverIp) });
    const clientIp = await runningIp('client');
    expect(clientIp).not.toBe(serverIp);
    const seen = await until('client logs with an answer', async () => {
      const logs = (await lab.k.run(['logs', 'client'])).stdout;
      return /client=(\S+)/.exec(logs)?.[1];
    }, 30_000);
    // busybox httpd prints the IPv4-mapped form; what matters is the address, not NATed to node1's
    expect(seen.replace(/^\[::ffff:|\]$/g, '')).toBe(clientIp);
  });

  it('from inside node2 (lab exec) the pod on node3 answers and sees node2 itself', async () => {
    const serverIp = (await podJson('echo')).status.podIP as string;
    const r = await lab.exec('node2', httpGetArgv(serverIp, 8080));
    expect(r.code).toBe(0);
    const node2 = nodes.find((n) => n.name === 'node2')!;
    expect(r.stdout).toContain(`client=[::ffff:${node2.ip}]`);
  });

  it('a pod talking to an address outside the cluster CIDR (node2 itself) is masqueraded to node1', async () => {
    // an ip-echo server in node2's namespace (host files, node network), with the host's busybox
    const www = mkdtempSync(join(tmpdir(), 'kinglet-lab-www-'));
    mkdirSync(join(www, 'cgi-bin'));
    writeFileSync(join(www, 'cgi-bin', 'ip'), '#!/bin/sh\necho Content-Type: text/plain\necho\necho client=$REMOTE_ADDR\n', { mode: 0o755 });
    const server = spawn('nsenter', [`--net=/run/netns/kl-${labId}-node2`, '/bin/busybox', 'httpd', '-f', '-p', '18080', '-h', www], { stdio: 'ignore' });
    try {
      const node1 = nodes.find((n) => n.name === 'node1')!;
      const node2 = nodes.find((n) => n.name === 'node2')!;
      await lab.k.ok(['apply', '-f', '-'], { input: ipClientPod('outbound', 'node1', lab.busybox, node2.ip, 18080) });
      const seen = await until('outbound client logs with an answer', async () => /client=(\S+)/.exec((await lab.k.run(['logs', 'outbound'])).stdout)?.[1], 40_000);
      expect(seen.replace(/^\[::ffff:|\]$/g, '')).toBe(node1.ip);
    } finally {
      server.kill('SIGKILL');
      rmSync(www, { recursive: true, force: true });
      await lab.k.run(['delete', 'pod', 'outbound', '--grace-period=0', '--force']);
    }
  });

  it('a node that leaves (agent stopped, Node deleted) loses its route on the others', async () => {
    const state = JSON.parse(readFileSync(`${lab.dir}/lab.json`, 'utf8'));
    const node3 = nodes.find((n) => n.name === 'node3')!;
    const agentPid = state.nodes.find((n: any) => n.name === 'node3').agent.pid as number;
    process.kill(agentPid, 'SIGTERM');
    await until('node3 agent gone', () => !existsSync(`/proc/${agentPid}`) || readFileSync(`/proc/${agentPid}/status`, 'utf8').includes('State:\tZ'), 15_000);
    await lab.k.ok(['delete', 'node', 'node3', '--wait=false']);
    await until('node1 drops the route to node3', async () => !(await lab.exec('node1', ['ip', '-4', 'route'])).stdout.includes(node3.podCIDR), 20_000);
    const r2 = (await lab.exec('node2', ['ip', '-4', 'route'])).stdout;
    expect(r2).not.toContain(node3.podCIDR);
    expect(r2).toContain(nodes.find((n) => n.name === 'node1')!.podCIDR);
  });

  it('lab down removes every namespace, link, process and file; a second down is a no-op', async () => {
    const d = await lab.down();
    down = { seconds: d.seconds, code: d.result.code };
    console.log(`[lab] down in ${d.seconds.toFixed(1)}s\n${d.result.stdout}`);
    expect(d.result.code).toBe(0);
    const netns = (await import('node:child_process')).execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(netns).not.toContain(`kl-${labId}-`);
    const links = (await import('node:child_process')).execFileSync('ip', ['-br', 'link'], { encoding: 'utf8' });
    expect(links).not.toContain(`kl${labId}`);
    const procs = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    });
    expect(procs.filter((c) => c.includes(lab.dir) || c.includes(`/run/kinglet-lab/${labId}`))).toEqual([]);
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(lab.dir);
    expect(existsSync(lab.dir)).toBe(false);
    expect(existsSync(`/run/kinglet-lab/${labId}`)).toBe(false);
    const again = await kinglet(['lab', 'down', '--dir', lab.dir]);
    expect(again.code).toBe(0);
  }, 120_000);
});
