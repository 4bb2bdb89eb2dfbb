// Probes on the real dockerd through the composed agent: exec liveness restarts a container that
// turns unhealthy, http readiness follows a toggle within a period, a startupProbe shields a slow
// starter that liveness alone kills, tcpSocket readiness drives ContainersReady, readinessGates hold
// Ready back until their condition is True.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../../helpers/docker.js';
import { ctr, ProbeAgent, until } from './probe-agent.js';

const skip = await dockerSkipReason();
const exec = (...command: string[]) => ({ exec: { command } });

describe.skipIf(skip)('probes (real dockerd)', () => {
  const a = new ProbeAgent();
  beforeAll(() => a.start(), 120_000);
  afterAll(() => a.stop(), 60_000);

  it('an exec liveness probe that starts failing after 3 s restarts the container', async () => {
    const p = a.pod('live', {
      containers: [
        ctr('app', ['sh', '-c', 'touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 600'], {
          livenessProbe: { ...exec('cat', '/tmp/healthy'), periodSeconds: 1, failureThreshold: 2, terminationGracePeriodSeconds: 1 },
        }),
      ],
    });
    a.link.upsert('Pod', p);
    await until('running', () => a.container(p, 'app')?.state?.running);
    const t0 = Date.now();
    const st = await until('restartCount 1', () => (a.container(p, 'app')?.restartCount ?? 0) >= 1 && a.container(p, 'app'), 30_000);
    // healthy for 3 s, then two failed periods: not killed early
    expect(Date.now() - t0).toBeGreaterThan(2_500);
    expect(st.lastState.terminated).toBeDefined();
    const unhealthy = a.events(p, 'Unhealthy');
    expect(unhealthy[0]!.message).toMatch(/^Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory$/);
    expect((unhealthy[0] as any).type).toBe('Warning');
    expect(a.events(p, 'Killing').map((e: any) => e.message)).toContain('Container app failed liveness probe, will be restarted');
    const reasons = a.events(p).map((e: any) => e.reason);
    expect(reasons.indexOf('Unhealthy')).toBeLessThan(reasons.indexOf('Killing'));
    // the new instance is healthy again (its own file) and keeps running
    await until('running again', () => a.container(p, 'app')?.state?.running && a.container(p, 'app').restartCount >= 1);
    a.link.remove('Pod', p);
  }, 60_000);

  it('an http readiness probe toggled by the test flips Ready false → true → false within a period', async () => {
    const p = a.pod('ready', {
      containers: [
        ctr('web', ['httpd', '-f', '-p', '8080', '-h', '/www'], {
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/ready.html', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'kinglet' }] }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    });
    a.link.upsert('Pod', p);
    await until('running', () => a.container(p, 'web')?.state?.running);
    await new Promise((r) => setTimeout(r, 1500));
    expect(a.condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    expect(a.container(p, 'web').ready).toBe(false);
    expect(a.events(p, 'Unhealthy')[0]!.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404');
    // one period (1 s) plus one status round is the budget
    await a.exec(p, 'web', ['sh', '-c', 'echo ok > /www/ready.html']);
    let t = Date.now();
    await until('Ready True', () => a.condition(p, 'Ready')?.status === 'True', 2_500, 50);
    expect(Date.now() - t).toBeLessThan(2_500);
    expect(a.condition(p, 'ContainersReady')?.status).toBe('True');
    expect(a.container(p, 'web').ready).toBe(true);
    await a.exec(p, 'web', ['rm', '/www/ready.html']);
    t = Date.now();
    await until('Ready False', () => a.condition(p, 'Ready')?.status === 'False', 2_500, 50);
    expect(a.container(p, 'web')).toMatchObject({ ready: false, restartCount: 0 });
    a.link.remove('Pod', p);
  }, 60_000);

  it('a startupProbe protects a slow starter that liveness alone would kill', async () => {
    const slow = ['sh', '-c', 'sleep 4; touch /tmp/up; sleep 600'];
    const liveness = { ...exec('cat', '/tmp/up'), periodSeconds: 1, failureThreshold: 1, terminationGracePeriodSeconds: 0 };
    const guarded = a.pod('guarded', { containers: [ctr('app', slow, { livenessProbe: liveness, startupProbe: { ...exec('cat', '/tmp/up'), periodSeconds: 1, failureThreshold: 15 } })] });
    const bare = a.pod('bare', { containers: [ctr('app', slow, { livenessProbe: liveness })] });
    a.link.upsert('Pod', guarded);
    a.link.upsert('Pod', bare);
    await until('guarded started', () => a.container(guarded, 'app')?.started === true, 30_000);
    await until('bare restarted', () => (a.container(bare, 'app')?.restartCount ?? 0) >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const st = a.container(guarded, 'app');
    expect(st).toMatchObject({ restartCount: 0, started: true, ready: true, state: { running: {} } });
    expect(a.events(guarded, 'Killing')).toEqual([]);
    // startup failures were reported, liveness never ran before startup succeeded
    const msgs = a.events(guarded, 'Unhealthy').map((e: any) => e.message);
    expect(msgs.some((m: string) => m.startsWith('Startup probe failed:'))).toBe(true);
    expect(msgs.some((m: string) => m.startsWith('Liveness probe failed:'))).toBe(false);
    a.link.remove('Pod', guarded);
    a.link.remove('Pod', bare);
  }, 60_000);

  it('tcpSocket readiness: an open port is ready, a closed one keeps ContainersReady False', async () => {
    const p = a.pod('tcp', {
      containers: [
        ctr('open', ['httpd', '-f', '-p', '9000', '-h', '/www'], { readinessProbe: { tcpSocket: { port: 9000 }, periodSeconds: 1 } }),
        ctr('closed', ['sleep', '600'], { readinessProbe: { tcpSocket: { port: 9001 }, periodSeconds: 1, failureThreshold: 1 } }),
      ],
    });
    a.link.upsert('Pod', p);
    await until('open ready', () => a.container(p, 'open')?.ready === true, 30_000);
    const ip = a.status(p).podIP;
    await until('closed probed', () => a.events(p, 'Unhealthy').length > 0);
    expect(a.container(p, 'closed').ready).toBe(false);
    expect(a.condition(p, 'ContainersReady')).toMatchObject({ status: 'False', message: 'containers with unready status: [closed]' });
    expect(a.events(p, 'Unhealthy')[0]!.message).toBe(`Readiness probe failed: dial tcp ${ip}:9001: connect: connection refused`);
    a.link.remove('Pod', p);
  }, 60_000);

  it('readinessGates: Ready waits for the gate condition set through the API, ContainersReady does not', async () => {
    const p = a.pod('gated', {
      readinessGates: [{ conditionType: 'example.com/lb' }],
      containers: [ctr('app', ['sleep', '600'], { readinessProbe: { ...exec('true'), periodSeconds: 1 } })],
    });
    a.link.upsert('Pod', p);
    await until('containers ready', () => a.condition(p, 'ContainersReady')?.status === 'True');
    expect(a.condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' });
    // a controller sets the gate's condition on the pod status; the agent gets the new pod
    const gate = { type: 'example.com/lb', status: 'True', lastTransitionTime: new Date().toISOString() };
    a.link.upsert('Pod', { ...p, metadata: { ...p.metadata, resourceVersion: '2' }, status: { ...a.status(p), conditions: [...a.status(p).conditions, gate] } });
    await until('Ready True', () => a.condition(p, 'Ready')?.status === 'True', 5_000);
    expect(a.condition(p, 'example.com/lb')).toMatchObject({ status: 'True' });
    a.link.remove('Pod', p);
  }, 60_000);
});

