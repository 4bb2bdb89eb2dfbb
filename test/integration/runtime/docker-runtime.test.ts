// DockerRuntime against the real test dockerd and the loopback registries (scripts/images/).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DockerRuntime } from '../../../agent/runtime/docker-runtime.js';
import { ensureSandboxImage, forgetSandboxImage, SANDBOX_IMAGE } from '../../../agent/runtime/sandbox-image.js';
import { RuntimeError, type ContainerConfig, type ContainerIdentity, type RuntimeEvent, type SandboxConfig } from '../../../agent/runtime/runtime.js';
import { dockerSkipReason, removeTestContainers, testDocker, TEST_RUN_LABEL, DOCKER_SOCK } from '../../helpers/docker.js';
import { AUTH_BUSYBOX_IMAGE, AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER, BUSYBOX_IMAGE, MISSING_IMAGE } from '../../helpers/registry.js';

const skip = await dockerSkipReason();
const RUN = randomUUID().slice(0, 8);
const NET = `kt-net-${RUN}`;
const log = pino({ level: 'silent' });

function identity(podName: string, uid: string, containerName: string, kind: ContainerIdentity['kind'], restartCount = 0): ContainerIdentity {
  return { podUid: uid, podName, podNamespace: 'default', containerName, kind, specHash: 'h1', restartCount };
}

function sandboxCfg(podName: string, uid: string, extra: Partial<SandboxConfig> = {}): SandboxConfig {
  return { identity: identity(podName, uid, 'POD', 'sandbox'), hostname: podName, labels: { [TEST_RUN_LABEL]: RUN }, ...extra };
}

function appCfg(podName: string, uid: string, sandboxId: string, command: string[], name = 'app', restartCount = 0): ContainerConfig {
  return {
    identity: identity(podName, uid, name, 'app', restartCount),
    image: BUSYBOX_IMAGE,
    command,
    env: ['FOO=bar'],
    mounts: [],
    sandboxId,
    labels: { [TEST_RUN_LABEL]: RUN },
  };
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

async function untag(ref: string): Promise<void> {
  await testDocker().getImage(ref).remove({ noprune: true }).catch(() => undefined);
}

describe.skipIf(skip)('DockerRuntime (real dockerd)', () => {
  const rt = new DockerRuntime({ dockerHost: `unix://${DOCKER_SOCK}`, log });

  /** a running pod: sandbox + one app container */
  async function runPod(podName: string, command: string[], extra: Partial<SandboxConfig> = {}) {
    const uid = randomUUID();
    const sandboxId = await rt.createSandbox(sandboxCfg(podName, uid, extra));
    await rt.startContainer(sandboxId);
    const appId = await rt.createContainer(appCfg(podName, uid, sandboxId, command));
    await rt.startContainer(appId);
    return { uid, sandboxId, appId };
  }

  beforeAll(async () => {
    await rt.pullImage(BUSYBOX_IMAGE, undefined);
  });

  afterAll(async () => {
    await removeTestContainers(RUN);
    await testDocker().getNetwork(NET).remove().catch(() => undefined);
  });

  it('builds the sandbox image locally (docker import, never a pull)', async () => {
    // only when no container still uses it; otherwise the build path was covered by an earlier run
    const removed = await testDocker().getImage(SANDBOX_IMAGE).remove().then(() => true, () => false);
    const absent = removed || (await rt.imageId(SANDBOX_IMAGE)) === undefined;
    forgetSandboxImage(rt);
    const t0 = performance.now();
    const id = await ensureSandboxImage(rt);
    const ms = performance.now() - t0;
    console.log(`[measure] sandbox image ${absent ? 'build (was absent)' : 'ensure (already present)'}: ${ms.toFixed(0)} ms`);
    const info = await testDocker().getImage(SANDBOX_IMAGE).inspect();
    expect(info.Id).toBe(id);
    expect(info.RepoDigests).toEqual([]); // imported, not pulled
    expect(info.Config.Entrypoint).toEqual(['/pause']);
    expect(await ensureSandboxImage(rt)).toBe(id); // memoized
  });

  it('app container joins the sandbox network namespace; identity survives in labels', async () => {
    const { uid, sandboxId, appId } = await runPod('joined', ['sleep', '1000'], { extraHosts: ['10.9.8.7 extra-a extra-b'] });
    const inSandbox = await rt.exec(sandboxId, ['/bin/busybox', 'hostname', '-i'], 5000);
    const inApp = await rt.exec(appId, ['hostname', '-i'], 5000);
    expect(inApp.exitCode).toBe(0);
    expect(inApp.output.trim()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(inApp.output.trim()).toBe(inSandbox.output.trim());
    const sb = await rt.inspect(sandboxId);
    expect(sb?.ip).toBe(inApp.output.trim());
    expect((await rt.exec(appId, ['hostname'], 5000)).output.trim()).toBe('joined');
    expect((await rt.exec(appId, ['cat', '/etc/hosts'], 5000)).output).toMatch(/10\.9\.8\.7\s+extra-a/);

    const pod = (await rt.listPods()).find((p) => p.uid === uid);
    expect(pod).toMatchObject({ uid, name: 'joined', namespace: 'default' });
    expect(pod!.sandboxes.map((s) => [s.id, s.kind, s.state, s.ip])).toEqual([[sandboxId, 'sandbox', 'running', inApp.output.trim()]]);
    expect(pod!.containers).toHaveLength(1);
    expect(pod!.containers[0]).toMatchObject({ id: appId, containerName: 'app', kind: 'app', restartCount: 0, specHash: 'h1', state: 'running', image: BUSYBOX_IMAGE });
    expect(pod!.containers[0]!.startedAt).toBeTruthy();
    const name = (await testDocker().getContainer(appId).inspect()).Name;
    expect(name).toBe(`/k8s_app_joined_default_${uid}_0`);
  });

  it('exited containers show exit code and finish time in listPods', async () => {
    const { uid, sandboxId } = await runPod('exits', ['sh', '-c', 'exit 7']);
    const id2 = await rt.createContainer(appCfg('exits', uid, sandboxId, ['true'], 'second'));
    expect(id2).toBeTruthy();
    let c;
    for (let i = 0; i < 50 && c?.state !== 'exited'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      c = (await rt.listPods()).find((p) => p.uid === uid)?.containers.find((x) => x.containerName === 'app');
    }
    expect(c).toMatchObject({ state: 'exited', exitCode: 7, oomKilled: false });
    expect(c!.finishedAt).toBeTruthy();
    const created = (await rt.listPods()).find((p) => p.uid === uid)?.containers.find((x) => x.containerName === 'second');
    expect(created?.state).toBe('created');
  });

  it('stop honours the grace period, then SIGKILL (137); the sandbox stops at once', async () => {
    const { sandboxId, appId } = await runPod('grace', ['sh', '-c', 'trap "" TERM; sleep 1000 & wait']);
    const t0 = performance.now();
    await rt.stopContainer(appId, 2);
    const secs = (performance.now() - t0) / 1000;
    expect(secs).toBeGreaterThanOrEqual(1.9);
    expect(secs).toBeLessThan(5);
    expect(await rt.inspect(appId)).toMatchObject({ state: 'exited', exitCode: 137 });
    const t1 = performance.now();
    await rt.stopContainer(sandboxId, 30);
    expect(performance.now() - t1).toBeLessThan(1500);
    expect(await rt.inspect(sandboxId)).toMatchObject({ state: 'exited', exitCode: 0 });
    await rt.stopContainer(appId, 2); // already stopped: no error
  });

  it('pulls from the local registry', async () => {
    await untag(BUSYBOX_IMAGE);
    expect(await rt.imageId(BUSYBOX_IMAGE)).toBeUndefined();
    const id = await rt.pullImage(BUSYBOX_IMAGE, undefined);
    expect(id).toMatch(/^sha256:/);
    expect(await rt.imageId(BUSYBOX_IMAGE)).toBe(id);
  });

  it('a missing image fails with ErrImagePull and the registry words', async () => {
    const err = await rt.pullImage(MISSING_IMAGE, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).reason).toBe('ErrImagePull');
    expect((err as RuntimeError).message).toMatch(/manifest unknown|not found/);
  });

  it('pulls from the htpasswd registry only with credentials', async () => {
    await untag(AUTH_BUSYBOX_IMAGE);
    const noAuth = await rt.pullImage(AUTH_BUSYBOX_IMAGE, undefined).catch((e: unknown) => e);
    expect((noAuth as RuntimeError).reason).toBe('ErrImagePull');
    expect((noAuth as RuntimeError).message).toMatch(/unauthorized|authentication required|no basic auth/i);
    const wrong = await rt.pullImage(AUTH_BUSYBOX_IMAGE, [{ serveraddress: AUTH_REGISTRY, username: AUTH_USER, password: 'nope' }]).catch((e: unknown) => e);
    expect((wrong as RuntimeError).reason).toBe('ErrImagePull');
    // only an `auth` field, as in many dockerconfigjson secrets
    const auth = Buffer.from(`${AUTH_USER}:${AUTH_PASSWORD}`).toString('base64');
    const id = await rt.pullImage(AUTH_BUSYBOX_IMAGE, [{ serveraddress: `http://${AUTH_REGISTRY}`, auth }]);
    expect(id).toMatch(/^sha256:/);
  });

  it('exec returns exit code and output, and times out', async () => {
    const { appId } = await runPod('exec', ['sleep', '1000']);
    const r = await rt.exec(appId, ['sh', '-c', 'echo out; echo err >&2; echo $FOO; exit 3'], 5000);
    expect(r).toMatchObject({ exitCode: 3, timedOut: false });
    expect(r.output).toContain('out\n');
    expect(r.output).toContain('err\n');
    expect(r.output).toContain('bar\n');
    const big = await rt.exec(appId, ['sh', '-c', 'yes | head -c 100000'], 5000);
    expect(big.output.length).toBe(10 * 1024);
    const t0 = performance.now();
    const slow = await rt.exec(appId, ['sleep', '5'], 300);
    expect(slow.timedOut).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('logs: tail, timestamps, follow, stderr merged', async () => {
    // stdout and stderr are logged by separate copiers: the pause keeps their order deterministic
    const { appId } = await runPod('logs', ['sh', '-c', 'for i in 1 2 3 4 5; do echo line$i; done; sleep 0.3; echo oops >&2; sleep 1000']);
    await new Promise((r) => setTimeout(r, 900));
    expect(await readAll(await rt.logs(appId, {}))).toBe('line1\nline2\nline3\nline4\nline5\noops\n');
    expect(await readAll(await rt.logs(appId, { tailLines: 2 }))).toBe('line5\noops\n');
    const ts = (await readAll(await rt.logs(appId, { tailLines: 1, timestamps: true }))).trim();
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z oops$/);
    expect(await readAll(await rt.logs(appId, { limitBytes: 8 }))).toBe('line1\nli');
    const follow = await rt.logs(appId, { follow: true, tailLines: 1 });
    const first = await new Promise<string>((resolve) => follow.once('data', (b: Buffer) => resolve(b.toString())));
    expect(first).toBe('oops\n');
    (follow as unknown as { destroy(): void }).destroy();
  });

  it('readFile copies a file out, bounded; a missing file is undefined', async () => {
    // (docker cp cannot see tmpfs mounts such as /dev: the agent bind-mounts termination-log files)
    const { appId } = await runPod('readfile', ['sh', '-c', 'printf "bye now" > /tmp/msg; yes | head -c 50000 > /tmp/big; sleep 1000']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rt.readFile(appId, '/tmp/msg', 4096)).toBe('bye now');
    expect((await rt.readFile(appId, '/tmp/big', 4096))?.length).toBe(4096);
    expect(await rt.readFile(appId, '/nope', 4096)).toBeUndefined();
  });

  it('delivers start and die events of kinglet containers', async () => {
    const seen: RuntimeEvent[] = [];
    const stop = rt.events((ev) => seen.push(ev));
    await new Promise((r) => setTimeout(r, 200));
    const { uid, appId } = await runPod('events', ['sh', '-c', 'exit 0']);
    for (let i = 0; i < 50 && !seen.some((e) => e.containerId === appId && e.action === 'die'); i++) await new Promise((r) => setTimeout(r, 100));
    stop();
    const mine = seen.filter((e) => e.containerId === appId).map((e) => e.action);
    expect(mine).toEqual(expect.arrayContaining(['create', 'start', 'die']));
    expect(seen.every((e) => e.podUid)).toBe(true);
    expect(seen.some((e) => e.podUid === uid)).toBe(true);
  });

  it('ensurePodNetwork creates a bridge with the subnet, reuses it, and sandboxes get IPs there', async () => {
    const bridge = `kt${RUN.slice(0, 6)}`;
    expect(await rt.ensurePodNetwork(NET, '10.251.77.0/24', '10.251.77.1', bridge)).toBe(NET);
    expect(await rt.ensurePodNetwork(NET, '10.251.77.0/24', '10.251.77.1', bridge)).toBe(NET);
    await expect(rt.ensurePodNetwork(NET, '10.251.78.0/24', '10.251.78.1', bridge)).rejects.toThrow(/subnet/);
    const { sandboxId } = await runPod('net', ['sleep', '1000'], { network: NET });
    expect((await rt.inspect(sandboxId))?.ip).toMatch(/^10\.251\.77\.\d+$/);
  });

  it('measures create+start of sandbox+app (p50 over 10)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await runPod(`bench${i}`, ['sleep', '1000']);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p50 = (times[4]! + times[5]!) / 2;
    console.log(`[measure] create+start sandbox+app: p50 ${p50.toFixed(0)} ms, min ${times[0]!.toFixed(0)}, max ${times[9]!.toFixed(0)}`);
    expect(p50).toBeLessThan(5000);
  });
});
