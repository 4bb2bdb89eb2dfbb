// Lifecycle hooks on the real dockerd through the composed agent: postStart holds Running back until
// it finished, a failing postStart kills the container, preStop runs before SIGTERM (seen in a
// hostPath file), failing preStop hooks (exec and httpGet) give FailedPreStopHook.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_CONTAINER_NAME } from '../../../agent/runtime/labels.js';
import { dockerSkipReason } from '../../helpers/docker.js';
import { ctr, ProbeAgent, until } from './probe-agent.js';

const skip = await dockerSkipReason();
const sh = (script: string) => ({ exec: { command: ['sh', '-c', script] } });
/** exits on SIGTERM (a bare `sleep` as PID 1 ignores it and waits out the grace) */
const polite = ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"];

describe.skipIf(skip)('lifecycle hooks (real dockerd)', () => {
  const a = new ProbeAgent();
  const host = mkdtempSync(join(tmpdir(), 'kinglet-hooks-'));
  const data = { name: 'data', hostPath: { path: host, type: 'Directory' } };
  const mount = { volumeMounts: [{ name: 'data', mountPath: '/data' }] };
  beforeAll(() => a.start(), 120_000);
  afterAll(async () => {
    await a.stop();
    rmSync(host, { recursive: true, force: true });
  }, 60_000);

  it('postStart (exec; httpGet to the pod IP): the container is not Running until the hook finished', async () => {
    const p = a.pod('poststart', {
      volumes: [data],
      containers: [
        // containers start in spec order: web serves the pod IP long before http-hooked's hook runs
        ctr('web', ['httpd', '-f', '-p', '8080', '-h', '/www']),
        ctr('app', ['sleep', '600'], { ...mount, lifecycle: { postStart: sh('sleep 2; echo done > /data/poststart') } }),
        ctr('http-hooked', ['sleep', '600'], { lifecycle: { postStart: { httpGet: { port: 8080, path: '/index.html' } } } }),
      ],
    });
    a.link.upsert('Pod', p);
    await until('app started by docker', () => a.events(p, 'Started').some((e: any) => e.involvedObject.fieldPath === 'spec.containers{app}'), 30_000, 50);
    await until('app Running', () => a.container(p, 'app')?.state?.running, 30_000, 50);
    // the hook sleeps 2 s before writing: a Running status before it ended would find no file
    expect(existsSync(join(host, 'poststart'))).toBe(true);
    await until('http-hooked Running', () => a.container(p, 'http-hooked')?.state?.running);
    expect(a.events(p, 'FailedPostStartHook')).toEqual([]);
    a.link.remove('Pod', p);
  }, 60_000);

  it('a failing postStart kills the container: FailedPostStartHook, never Running, restarted with back-off', async () => {
    const p = a.pod('poststart-fail', { containers: [ctr('app', ['sleep', '600'], { lifecycle: { postStart: sh('echo boom; exit 1') } })] });
    a.link.upsert('Pod', p);
    const ev = await until('FailedPostStartHook', () => a.events(p, 'FailedPostStartHook')[0], 30_000);
    expect(ev.message).toMatch(/^Exec lifecycle hook \(\[sh -c echo boom; exit 1\]\) for Container "app" in Pod "poststart-fail_default\(.+\)" failed - error: command 'sh -c echo boom; exit 1' exited with 1: boom/);
    await until('container stopped', async () => (await a.containers(p)).some((c) => c.Labels[LABEL_CONTAINER_NAME] === 'app' && c.State === 'exited'));
    const st = await until('status after the hook', () => a.container(p, 'app')?.state?.waiting && a.container(p, 'app'));
    expect(['PostStartHookError', 'CrashLoopBackOff']).toContain(st.state.waiting.reason);
    expect(a.link.statuses.filter((s) => s.uid === p.metadata.uid).some((s) => s.status.containerStatuses?.[0]?.state?.running)).toBe(false);
    a.link.remove('Pod', p);
  }, 60_000);

  it('preStop runs before SIGTERM inside the grace; failing exec/httpGet preStop hooks give FailedPreStopHook', async () => {
    const p = a.pod('prestop', {
      volumes: [data],
      containers: [
        ctr('app', ['sh', '-c', "trap 'echo term >> /data/log; exit 0' TERM; echo start >> /data/log; while true; do sleep 0.1; done"], {
          ...mount,
          lifecycle: { preStop: sh('echo prestop >> /data/log; sleep 1') },
        }),
        ctr('bad-exec', polite, { lifecycle: { preStop: sh('exit 3') } }),
        ctr('bad-http', polite, { lifecycle: { preStop: { httpGet: { port: 9999, path: '/stop' } } } }),
      ],
    });
    a.link.upsert('Pod', p);
    await until('all Running', () => a.status(p)?.containerStatuses?.every((s: any) => s.state.running));
    await until('app wrote start', () => existsSync(join(host, 'log')));
    const t0 = Date.now();
    a.link.upsert('Pod', { ...p, metadata: { ...p.metadata, resourceVersion: '2', deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 10 } });
    await until('terminated', () => a.link.statuses.some((s) => s.uid === p.metadata.uid && s.terminated), 30_000);
    expect(readFileSync(join(host, 'log'), 'utf8')).toBe('start\nprestop\nterm\n');
    // the app exits on SIGTERM right after its 1 s hook; nothing waited out the 10 s grace
    expect(Date.now() - t0).toBeLessThan(9_000);
    const failed = a.events(p, 'FailedPreStopHook').map((e: any) => [e.involvedObject.fieldPath, e.message]);
    expect(failed).toHaveLength(2);
    expect(failed).toEqual(
      expect.arrayContaining([
        ['spec.containers{bad-exec}', expect.stringMatching(/^Exec lifecycle hook \(\[sh -c exit 3\]\) .* exited with 3/)],
        ['spec.containers{bad-http}', expect.stringMatching(/^HTTP lifecycle hook \(\/stop\) .* failed - error: Get "http:\/\/10\.244\.250\.\d+:9999\/stop": dial tcp .*: connect: connection refused$/)],
      ]),
    );
    a.link.remove('Pod', p);
  }, 60_000);
});
