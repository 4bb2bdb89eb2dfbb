// The network probe handlers against servers of this test on loopback: httpGet (status classes,
// headers, named ports, HTTPS without verification, same-host redirects followed, other-host
// redirects not followed, redirect loops, timeouts), tcpSocket, and the gRPC health protocol.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcProbe } from '../../../agent/prober/handlers/grpc.js';
import { httpGetProbe, PROBE_USER_AGENT } from '../../../agent/prober/handlers/http.js';
import { tcpProbe } from '../../../agent/prober/handlers/tcp.js';
import { createCA, issueCertificate } from '../../../lib/tls.js';
import { loadHealthProto } from '../../../proto/load.js';

const LO = '127.0.0.1';
const target = (container: any = { name: 'c' }) => ({ podIp: LO, containerId: 'x', container });
const portOf = (s: { address(): unknown }) => (s.address() as AddressInfo).port;
const listen = <T extends net.Server>(s: T) => new Promise<T>((r) => s.listen(0, LO, () => r(s)));

describe('probe handlers on loopback', () => {
  const seen: http.IncomingHttpHeaders[] = [];
  const route = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    seen.push(req.headers);
    const u = req.url ?? '/';
    if (u === '/ok') return void res.end('fine');
    if (u === '/teapot') return void res.writeHead(418).end();
    if (u === '/hop') return void res.writeHead(302, { location: '/ok' }).end();
    if (u === '/away') return void res.writeHead(301, { location: 'http://127.0.0.2:1/elsewhere' }).end('moved');
    if (u === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (u === '/slow') return void setTimeout(() => res.end('late'), 2000);
    res.writeHead(404).end();
  };
  let plain: http.Server;
  let tls: https.Server;
  let grpcServer: grpc.Server;
  let grpcPort = 0;
  const health = new Map<string, string>([['', 'SERVING'], ['db', 'NOT_SERVING']]);

  beforeAll(async () => {
    plain = await listen(http.createServer(route));
    const ca = createCA('probe-test-ca');
    const leaf = issueCertificate(ca, { commonName: 'pod', ipAddresses: [LO], usage: 'server' });
    tls = await listen(https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, route));
    grpcServer = new grpc.Server();
    grpcServer.addService((loadHealthProto().Health as any).service, {
      Check: (call: any, cb: any) => {
        const s = health.get(call.request.service);
        if (!s) return cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        cb(null, { status: s });
      },
      Watch: (call: any) => call.end(),
    });
    grpcPort = await new Promise<number>((r, j) => grpcServer.bindAsync(`${LO}:0`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? j(e) : r(p))));
  });
  afterAll(async () => {
    plain.closeAllConnections();
    plain.close();
    tls.close();
    grpcServer.forceShutdown();
  });

  it('httpGet: 2xx success with kube-probe headers plus the probe’s own; 4xx failure; named port', async () => {
    const port = portOf(plain);
    seen.length = 0;
    const ok = await httpGetProbe({ port: 'web', path: '/ok', httpHeaders: [{ name: 'X-Check', value: '1' }, { name: 'accept', value: 'text/plain' }] }, target({ name: 'c', ports: [{ name: 'web', containerPort: port }] }), 1000);
    expect(ok).toEqual({ result: 'success', output: 'fine' });
    expect(seen[0]).toMatchObject({ 'user-agent': PROBE_USER_AGENT, 'x-check': '1', accept: 'text/plain' });
    expect(await httpGetProbe({ port, path: '/teapot' }, target(), 1000)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 418' });
    expect((await httpGetProbe({ port: 'nope' }, target(), 1000)).output).toMatch(/unable to resolve port "nope"/);
  });

  it('httpGet redirects: same host followed, another host not followed (warning), loops fail', async () => {
    const port = portOf(plain);
    seen.length = 0;
    expect(await httpGetProbe({ port, path: '/hop' }, target(), 1000)).toEqual({ result: 'success', output: 'fine' });
    expect(seen).toHaveLength(2);
    // 127.0.0.2 is never dialled: the 301 itself is the answer
    expect(await httpGetProbe({ port, path: '/away' }, target(), 1000)).toEqual({ result: 'warning', output: 'Probe terminated redirects, Response body: moved' });
    const loop = await httpGetProbe({ port, path: '/loop' }, target(), 2000);
    expect(loop.result).toBe('failure');
    expect(loop.output).toMatch(/stopped after 10 redirects$/);
  });

  it('httpGet: HTTPS with an unverifiable certificate is probed; a slow answer times out', async () => {
    expect(await httpGetProbe({ port: portOf(tls), path: '/ok', scheme: 'HTTPS' }, target(), 2000)).toEqual({ result: 'success', output: 'fine' });
    const slow = await httpGetProbe({ port: portOf(plain), path: '/slow' }, target(), 300);
    expect(slow).toEqual({ result: 'failure', output: `Get "http://${LO}:${portOf(plain)}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
  });

  it('tcpSocket: open port succeeds, closed port is refused', async () => {
    expect(await tcpProbe({ port: portOf(plain) }, target(), 1000)).toEqual({ result: 'success', output: '' });
    const closed = await listen(net.createServer());
    const port = portOf(closed);
    await new Promise((r) => closed.close(r));
    expect(await tcpProbe({ port }, target(), 1000)).toEqual({ result: 'failure', output: `dial tcp ${LO}:${port}: connect: connection refused` });
  });

  it('grpc: SERVING succeeds, NOT_SERVING and errors fail, nothing listening times out', async () => {
    expect(await grpcProbe({ port: grpcPort }, target(), 1000)).toEqual({ result: 'success', output: '' });
    expect(await grpcProbe({ port: grpcPort, service: 'db' }, target(), 1000)).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    health.set('db', 'SERVING');
    expect((await grpcProbe({ port: grpcPort, service: 'db' }, target(), 1000)).result).toBe('success');
    expect((await grpcProbe({ port: grpcPort, service: 'other' }, target(), 1000)).output).toMatch(/^error: health rpc probe failed: unknown service/);
    const closed = await listen(net.createServer());
    const port = portOf(closed);
    await new Promise((r) => closed.close(r));
    expect(await grpcProbe({ port }, target(), 500)).toEqual({ result: 'failure', output: `timeout: failed to connect service "${LO}:${port}" within 0.5s` });
  });
});
