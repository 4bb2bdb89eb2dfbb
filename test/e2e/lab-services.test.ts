// Services, cluster DNS and readiness across a real 3-node lab with the real kubectl: a client pod
// on node1 reaches web pods on node2 and node3 through the ClusterIP and by name, the connections
// spread over both endpoints, a pod failing readiness leaves the rotation and comes back, the node
// port answers on every node, a headless name gives the pod IPs, and deleting the Services leaves
// no rule of theirs on any node. Traffic starts only inside the client pod or a lab node namespace.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.js';
import { until } from './agent-cluster.js';
import { httpGetArgv, startLab, type Lab } from './lab-cluster.js';
import { podShell, servers, webPod, type PodShell } from './lab-pods.js';

const skip = (await dockerSkipReason()) ?? (process.getuid?.() !== 0 ? 'the lab needs root' : undefined);

const WEB = ['web-2', 'web-3'] as const;
const svc = (name: string, spec: object) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ...spec } });
const GET = (ip: string, port = 80) => `printf 'GET /cgi-bin/ip HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port}`;
const FETCH = (ip: string, n: number) => `for i in $(seq ${n}); do ${GET(ip)} || exit 1; done`;
// the image's busybox is static glibc: its getaddrinfo (wget, nc NAME) crashes, so names go through
// busybox nslookup (its own resolver, reading the pod's resolv.conf: nameserver and search path)
const RESOLVE = (name: string) => `ip=$(nslookup ${name} | awk '/^Name:/{n=1} n && /^Address/{print $2; exit}') && [ -n "$ip" ] && echo "resolved=$ip"`;

describe.skipIf(skip)('lab e2e: Services, DNS and readiness', () => {
  let lab: Lab;
  let shell: PodShell;
  let flags = '';
  let vip = '';
  let nodePort = 0;
  const podIps = new Map<string, string>();
  let nodeIps: string[] = [];

  const ready = (name: string) => writeFileSync(join(flags, name, 'ready'), 'ok\n');
  const readyIps = async (): Promise<string[]> => {
    const ep = JSON.parse(await lab.k.ok(['get', 'endpoints', 'web', '-o', 'json']));
    return (ep.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip as string)).sort();
  };
  const natRules = async (node: string) => (await lab.exec(node, ['iptables-save', '-t', 'nat'])).stdout;

  beforeAll(async () => {
    lab = await startLab(3);
    flags = mkdtempSync(join(tmpdir(), 'kinglet-lab-flags-'));
    shell = podShell('client', 'node1', lab.busybox);
    const nodes = JSON.parse(await lab.k.ok(['get', 'nodes', '-o', 'json'])).items;
    nodeIps = nodes.map((n: any) => n.status.addresses.find((a: any) => a.type === 'InternalIP').address as string);
    for (const name of WEB) {
      const dir = join(flags, name);
      mkdirSync(dir);
      ready(name);
      await lab.k.ok(['apply', '-f', '-'], { input: webPod(name, name.replace('web-', 'node'), lab.busybox, dir) });
    }
    await lab.k.ok(['apply', '-f', '-'], { input: shell.manifest });
    await lab.k.ok(['apply', '-f', '-'], { input: svc('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http' }] }) });
    await lab.k.ok(['apply', '-f', '-'], { input: svc('web-headless', { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] }) });
    await lab.k.ok(['wait', '--for=condition=Ready', 'pod/web-2', 'pod/web-3', 'pod/client', '--timeout=90s'], { timeoutMs: 100_000 });
    for (const name of WEB) podIps.set(name, JSON.parse(await lab.k.ok(['get', 'pod', name, '-o', 'json'])).status.podIP);
    const s = JSON.parse(await lab.k.ok(['get', 'svc', 'web', '-o', 'json']));
    vip = s.spec.clusterIP;
    nodePort = s.spec.ports[0].nodePort;
    await until('both web pods in the endpoints', async () => (await readyIps()).length === 2, 30_000);
    console.log(`[lab] up in ${lab.upSeconds.toFixed(1)}s; vip ${vip} nodePort ${nodePort} pods ${[...podIps.values()].join(' ')}`);
  }, 200_000);

  afterAll(async () => {
    if (lab) await lab.down();
    shell?.cleanup();
    if (flags) rmSync(flags, { recursive: true, force: true });
  }, 120_000);

  it('the client on node1 reaches the pods on node2 and node3 through the ClusterIP, spread over both', async () => {
    const r = await shell.run(FETCH(vip, 30));
    expect(r.code).toBe(0);
    const seen = servers(r.out);
    expect(seen).toHaveLength(30);
    const counts = new Map(WEB.map((w) => [w, seen.filter((s) => s === w).length]));
    console.log(`[svc] 30 requests via ${vip}: ${JSON.stringify(Object.fromEntries(counts))}`);
    // with p = 1/2 per connection, either count being 0 or < 4 of 30 has probability < 1e-5
    for (const w of WEB) expect(counts.get(w)).toBeGreaterThanOrEqual(4);
  });

  it('the client resolves the Service by its full name and by the short name via the search path', async () => {
    const full = await shell.run(`${RESOLVE('web.default.svc.cluster.local')} && ${FETCH('$ip', 4)} && ${RESOLVE('web')} && ${FETCH('$ip', 4)} && cat /etc/resolv.conf`);
    expect(full.code, full.out).toBe(0);
    expect([...full.out.matchAll(/resolved=(\S+)/g)].map((m) => m[1])).toEqual([vip, vip]);
    expect(full.out).toMatch(/^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);
    expect(servers(full.out)).toHaveLength(8);
  });

  it('a headless Service resolves to the pod IPs', async () => {
    const r = await shell.run('nslookup web-headless.default.svc.cluster.local');
    expect(r.code, r.out).toBe(0);
    const ips = [...r.out.matchAll(/Address:\s*(\d+\.\d+\.\d+\.\d+)(?!:)\s*$/gm)].map((m) => m[1]!);
    expect(ips.filter((ip) => [...podIps.values()].includes(ip)).sort()).toEqual([...podIps.values()].sort());
    expect(ips).not.toContain(vip);
  });

  it('a pod failing readiness leaves the rotation and comes back', async () => {
    unlinkSync(join(flags, 'web-3', 'ready'));
    await until('web-3 out of the endpoints', async () => (await readyIps()).join() === podIps.get('web-2'), 20_000);
    const out = await shell.run(FETCH(vip, 12));
    expect(new Set(servers(out.out))).toEqual(new Set(['web-2']));
    expect(servers(out.out)).toHaveLength(12);
    ready('web-3');
    await until('web-3 back in the endpoints', async () => (await readyIps()).length === 2, 20_000);
    const back = await until('web-3 answers through the VIP again', async () => {
      const r = await shell.run(FETCH(vip, 10));
      return servers(r.out).includes('web-3') ? r : undefined;
    }, 20_000);
    expect(servers(back.out)).toHaveLength(10);
  });

  it('the node port answers on every node IP, from inside the lab', async () => {
    for (const ip of nodeIps) {
      const r = await lab.exec('node1', httpGetArgv(ip, nodePort));
      expect(r.code, `${ip}:${nodePort} ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/server=web-[23]/);
    }
    const fromPod = await shell.run(nodeIps.map((ip) => GET(ip, nodePort)).join(' && '));
    expect(servers(fromPod.out)).toHaveLength(nodeIps.length);
  });

  it('hairpin: a pod reaching itself through its own Service is answered (masqueraded); only local endpoints have endpoint chains', async () => {
    const clientIp = JSON.parse(await lab.k.ok(['get', 'pod', 'client', '-o', 'json'])).status.podIP as string;
    const serve = `mkdir -p /tmp/self/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho server=client client=$REMOTE_ADDR\\n' > /tmp/self/cgi-bin/ip && chmod +x /tmp/self/cgi-bin/ip && httpd -p 8081 -h /tmp/self`;
    expect((await shell.run(serve)).code).toBe(0);
    await lab.k.ok(['label', 'pod', 'client', 'role=self']);
    await lab.k.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'self' }, spec: { selector: { role: 'self' }, ports: [{ port: 81, targetPort: 8081 }] } }) });
    const selfVip = JSON.parse(await lab.k.ok(['get', 'svc', 'self', '-o', 'json'])).spec.clusterIP as string;
    const r = await until('the client answers itself through its VIP', async () => {
      const x = await shell.run(GET(selfVip, 81));
      return /server=client/.test(x.out) ? x : undefined;
    }, 30_000);
    // the reply came back through the node: the source was rewritten, not the pod's own IP
    const seenAs = /client=(\S+)/.exec(r.out)?.[1];
    expect(seenAs).toBeDefined();
    expect(seenAs).not.toBe(clientIp);
    // node1 has an endpoint chain (hairpin check) for its own pod, none for web's endpoints on node2/3
    const n1 = await natRules('node1');
    expect(n1).toMatch(/-A KINGLET-SEP-\S+ .*default\/self/);
    expect(n1).not.toMatch(/-A KINGLET-SEP-\S+ .*default\/web:http/);
    expect(n1).toContain(`--to-destination ${podIps.get('web-2')}:8080`);
    expect(await natRules('node2')).toMatch(new RegExp(`-A KINGLET-SEP-\\S+ .*-s ${podIps.get('web-2')!.replace(/\./g, '\\.')}/32`));
    await lab.k.ok(['delete', 'svc', 'self']);
  });

  it('deleting the Services removes their KINGLET- rules on every node', async () => {
    const mine = /KINGLET-.*"default\/web[: "]/;
    for (const n of ['node1', 'node2', 'node3']) expect(await natRules(n)).toMatch(mine);
    await lab.k.ok(['delete', 'svc', 'web', 'web-headless']);
    for (const n of ['node1', 'node2', 'node3']) {
      const left = await until(`${n} drops the web rules`, async () => {
        const t = await natRules(n);
        return mine.test(t) ? undefined : t;
      }, 20_000);
      expect(left).toContain(':KINGLET-SERVICES');
      expect(left).not.toContain(`${vip}/32`);
      expect(left).not.toContain(`--dport ${nodePort}`);
    }
    const r = await shell.run(GET(vip));
    expect(servers(r.out)).toEqual([]);
  });
});
