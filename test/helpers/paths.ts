// Where the repository and its built CLI live, seen from the test helpers.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KINGLET_BIN = join(REPO_ROOT, 'bin', 'kinglet');
export const KUBECTL = process.env.KUBECTL ?? (existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : 'kubectl');

/** Fails with a clear message when dist/ was not built: e2e tests run the real compiled server. */
export function assertBuilt(): void {
  if (!existsSync(KINGLET_BIN)) throw new Error(`${KINGLET_BIN} missing`);
  if (!existsSync(join(REPO_ROOT, 'dist'))) throw new Error('dist/ missing: run `npm run build` (scripts/test.sh does it)');
}
