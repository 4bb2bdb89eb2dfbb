// vitest globalSetup for integration/e2e: they run the compiled server from dist/, so rebuild it when
// any source is newer than the last build. Type errors elsewhere do not stop tsc from emitting, so a
// failed type-check only warns. scripts/test.sh builds first and sets KINGLET_SKIP_BUILD=1.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

const SOURCE_DIRS = ['api', 'lib', 'proto', 'apiserver', 'agent', 'cli', 'bench'];
const STAMP = join(REPO_ROOT, 'dist', '.build-stamp');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.proto')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  if (process.env.KINGLET_SKIP_BUILD === '1') return;
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(join(REPO_ROOT, d))));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    });
  } catch (e) {
    const out = String((e as { stdout?: Buffer }).stdout ?? '');
    console.warn(`[global-build] tsc reported errors (dist/ was still emitted):\n${out.slice(0, 3000)}`);
  }
  if (existsSync(join(REPO_ROOT, 'dist'))) writeFileSync(STAMP, new Date().toISOString());
}
