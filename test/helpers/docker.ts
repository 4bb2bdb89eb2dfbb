// The test dockerd (scripts/images/ensure-docker.sh): socket, a raw client for setup/cleanup, and a
// skip reason. On a dev machine without Docker the docker tests skip; in CI (process.env.CI) a missing
// Docker is a failure, never a silent skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { REPO_ROOT } from './paths.js';

export const DOCKER_SOCK = process.env.KINGLET_DOCKER_SOCK ?? '/run/kinglet-test/docker.sock';
export const IMAGES_DIR = join(REPO_ROOT, 'scripts', 'images');
/** label put on every container a test creates, so afterAll can remove exactly those */
export const TEST_RUN_LABEL = 'io.kinglet.test-run';

export function testDocker(): Docker {
  return new Docker({ socketPath: DOCKER_SOCK });
}

async function answering(): Promise<boolean> {
  if (!existsSync(DOCKER_SOCK)) return false;
  try {
    await testDocker().ping();
    return true;
  } catch {
    return false;
  }
}

let prepared: Promise<string | undefined> | undefined;

/**
 * undefined when the test dockerd, the registries and the test images are ready (running the
 * idempotent scripts when we are root and something is missing); otherwise why not. Throws in CI.
 */
export function dockerSkipReason(): Promise<string | undefined> {
  prepared ??= (async () => {
    let reason: string | undefined;
    if (process.getuid?.() === 0 && process.env.KINGLET_TEST_NO_SETUP !== '1') {
      try {
        // ensures dockerd + registries + images; quick when everything is already there
        execFileSync(join(IMAGES_DIR, 'build-test-images.sh'), { stdio: 'pipe', timeout: 300_000 });
      } catch (e) {
        reason = `build-test-images.sh failed: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(-2000)}`;
      }
    }
    if (!reason && !(await answering())) reason = `no dockerd answering on ${DOCKER_SOCK} (run scripts/images/ensure-docker.sh)`;
    if (reason && process.env.CI) throw new Error(`Docker is required in CI: ${reason}`);
    return reason;
  })();
  return prepared;
}

/** Remove every container carrying TEST_RUN_LABEL=run (force, with volumes). */
export async function removeTestContainers(run: string): Promise<number> {
  const docker = testDocker();
  const list = await docker.listContainers({ all: true, filters: { label: [`${TEST_RUN_LABEL}=${run}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return list.length;
}

/** Run a docker CLI command against the test daemon. */
export function dockerCli(args: string[]): string {
  return execFileSync('docker', ['-H', `unix://${DOCKER_SOCK}`, ...args], { encoding: 'utf8' });
}
