// `kinglet lab down`: stop what `lab up` started (agents, then dockerds so containers stop with
// them, then registry and apiserver), kill leftovers that still mention the lab's paths (shims),
// unmount what the dockerds left mounted, delete the lab's namespaces and host link, remove the data.
// Every step tolerates "already gone", so running it twice is fine.
import { existsSync, readdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { layoutFor } from './layout.js';
import { removeNetworking } from './netns.js';
import { isOurs, pidsMentioning, sh, signal, sleep, stopProcesses, trySh } from './proc.js';
import { readState, STATE_FILE } from './state.js';

/** what the lab creates inside DIR (nothing else there is touched) */
const LAB_ENTRIES = ['nodes', 'apiserver', 'registry', 'logs', 'kubeconfig', STATE_FILE, `${STATE_FILE}.tmp`];

function ancestors(): Set<number> {
  const out = new Set<number>([process.pid]);
  let pid = process.ppid;
  for (let i = 0; i < 64 && pid > 1; i++) {
    out.add(pid);
    try {
      pid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      break;
    }
  }
  return out;
}

/** mount points at or below any of the roots, deepest first */
export function mountsUnder(roots: string[], mountsText: string): string[] {
  const points = mountsText
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((p): p is string => !!p && roots.some((r) => p === r || p.startsWith(`${r}/`)));
  const depth = (p: string): number => p.split('/').length;
  return [...new Set(points)].sort((a, b) => depth(b) - depth(a) || b.length - a.length);
}

async function removeAllContainers(sock: string): Promise<void> {
  const docker = ['-H', `unix://${sock}`];
  const ids = (await sh('docker', [...docker, 'ps', '-aq']).catch(() => '')).split(/\s+/).filter(Boolean);
  if (ids.length) await trySh('docker', [...docker, 'rm', '-f', '-v', ...ids]);
}

export async function labDown(dir: string, progress: (line: string) => void): Promise<void> {
  const l = layoutFor(dir);
  const state = readState(l.dir);
  const t0 = Date.now();
  const step = (what: string): void => progress(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${what}`);
  // 1. Processes, in dependency order.
  if (state) {
    await stopProcesses(state.nodes.map((n) => n.agent), 10_000);
    step('agents stopped');
    // Removing the containers first is much faster than dockerd's own shutdown, which waits on
    // each container's stop and on containerd (about 10 s with a few pods).
    await Promise.all(state.nodes.filter((n) => isOurs(n.dockerd)).map((n) => removeAllContainers(n.dockerSock)));
    step('containers removed');
    await stopProcesses(state.nodes.map((n) => n.dockerd), 20_000);
    step('dockerds stopped');
    await stopProcesses([state.registryProcess, state.apiserver], 10_000);
    step('registry and apiserver stopped');
  }
  // 2. Anything else still running from the lab's paths (containerd, shims, a crashed up's children).
  const needles = [join(l.dir, 'nodes') + '/', join(l.dir, 'apiserver'), join(l.dir, 'registry') + '/', `${l.runDir}/`];
  const mine = ancestors();
  const leftovers = pidsMentioning(needles).filter((p) => !mine.has(p));
  for (const p of leftovers) signal(p, 'SIGKILL');
  if (leftovers.length) await sleep(300);
  // 3. Mounts the dockerds left behind (overlay layers, container netns bind mounts).
  const mounts = mountsUnder([l.dir, l.runDir], readFileSync('/proc/self/mounts', 'utf8'));
  for (const m of mounts) await trySh('umount', ['-l', m]);
  // 4. Namespaces and the host link.
  const removed = await removeNetworking(l);
  // 5. Data: only what the lab made in DIR; DIR itself when that leaves it empty.
  for (const e of LAB_ENTRIES) rmSync(join(l.dir, e), { recursive: true, force: true });
  rmSync(l.runDir, { recursive: true, force: true });
  for (const d of [l.dir, dirname(l.runDir)]) {
    try {
      if (existsSync(d) && readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      // not empty (another lab) or not ours: leave it
    }
  }
  progress(`lab ${l.id} down: ${state ? `${state.nodes.length} node(s) stopped` : 'no state file'}, ${leftovers.length} leftover process(es) killed, ${mounts.length} mount(s) and ${removed.length} namespace(s)/link(s) removed`);
}
