// A shared lab fixture for the lab e2e tests (and later the Service/DNS ones): `kinglet lab up` from
// dist/, the real kubectl on its kubeconfig, `kinglet lab exec` to reach pod and Service IPs from
// inside a node namespace, and `kinglet lab down`. Timings of up and down are kept for the report.
// Run under the machine-wide lock: flock /tmp/kinglet-docker.lock npx vitest run test/e2e/lab-*.test.ts
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { KINGLET_BIN, REPO_ROOT } from '../helpers/paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kinglet(args: string[], timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KINGLET_BIN, ...args], { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, KINGLET_LAB_DIR: '' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface Lab {
  dir: string;
  k: Kubectl;
  /** HOST:PORT from `lab status` */
  registry: string;
  /** image ref of the test busybox in the lab registry */
  busybox: string;
  upSeconds: number;
  upOutput: string;
  /** `kinglet lab exec NODE -- CMD...` */
  exec(node: string, cmd: string[], timeoutMs?: number): Promise<CliResult>;
  status(): Promise<CliResult>;
  /** `kinglet lab stop-node NODE`: its agent and dockerd stop, as a node failing */
  stopNode(node: string): Promise<CliResult>;
  /** `kinglet lab down`; returns its seconds and output */
  down(): Promise<{ seconds: number; result: CliResult }>;
}

export interface LabOptions {
  /** extra apiserver flags, e.g. ['--node-monitor-grace-period=8s'] (lab up --apiserver-arg) */
  apiserverArgs?: string[];
}

export async function startLab(nodes = 3, opts: LabOptions = {}): Promise<Lab> {
  const dir = join(mkdtempSync(join(tmpdir(), 'kinglet-lab-e2e-')), 'lab');
  const t0 = Date.now();
  const up = await kinglet(['lab', 'up', '--nodes', String(nodes), '--dir', dir, ...(opts.apiserverArgs ?? []).map((a) => `--apiserver-arg=${a}`)]);
  const upSeconds = (Date.now() - t0) / 1000;
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
  const k = kubectlFor({ kubeconfigPath: join(dir, 'kubeconfig') });
  const status = await kinglet(['lab', 'status', '--dir', dir]);
  const registry = /^registry: (\S+)$/m.exec(status.stdout)?.[1];
  if (!registry) throw new Error(`no registry line in lab status:\n${status.stdout}${status.stderr}`);
  let downDone = false;
  return {
    dir,
    k,
    registry,
    busybox: `${registry}/kinglet-test/busybox:1`,
    upSeconds,
    upOutput: up.stdout,
    exec: (node, cmd, timeoutMs = 30_000) => kinglet(['lab', 'exec', node, '--dir', dir, '--', ...cmd], timeoutMs),
    status: () => kinglet(['lab', 'status', '--dir', dir]),
    stopNode: (node) => kinglet(['lab', 'stop-node', node, '--dir', dir], 60_000),
    async down() {
      const t = Date.now();
      const result = await kinglet(['lab', 'down', '--dir', dir]);
      if (!downDone) k.cleanup();
      downDone = true;
      // the mkdtemp parent; lab down already removed DIR itself
      if (result.code === 0) rmSync(dirname(dir), { recursive: true, force: true });
      return { seconds: (Date.now() - t) / 1000, result };
    },
  };
}

/** An HTTP server pod answering GET /cgi-bin/ip with "client=<the peer address it saw>". */
export function ipEchoPod(name: string, node: string, image: string, port = 8080): string {
  const script = `mkdir -p /tmp/www/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho client=$REMOTE_ADDR\\n' > /tmp/www/cgi-bin/ip && chmod +x /tmp/www/cgi-bin/ip && exec httpd -f -p ${port} -h /tmp/www`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'httpd', image, command: ['sh', '-c', script], ports: [{ containerPort: port }] }] },
  });
}

/** A pod that asks url's /cgi-bin/ip every second and prints the answers (read with kubectl logs). */
export function ipClientPod(name: string, node: string, image: string, target: string, port = 8080): string {
  const loop = `while true; do printf 'GET /cgi-bin/ip HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${target} ${port}; sleep 1; done`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'client', image, command: ['sh', '-c', loop] }] },
  });
}

/** `printf GET | nc IP PORT` inside a node namespace, with the host's busybox (nodes share the host's files). */
export function httpGetArgv(ip: string, port: number, path = '/cgi-bin/ip'): string[] {
  return ['sh', '-c', `printf 'GET ${path} HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 3 ${ip} ${port}`];
}
