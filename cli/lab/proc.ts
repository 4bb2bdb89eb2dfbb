// Child processes of the lab: one-shot commands (execa), long-running daemons started detached with
// their output in a log file (they outlive `lab up`), and stopping them safely by pid.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import type { ProcessRecord } from './state.js';

/**
 * Aborted when `lab up` is interrupted (SIGINT/SIGTERM): waits end and no new daemon starts, so the
 * cleanup that follows sees every process there will ever be.
 */
export const interrupted = new AbortController();

const checkInterrupted = (): void => {
  if (interrupted.signal.aborted) throw new Error('interrupted');
};

/** Run a command; throws with its stderr when it fails. */
export async function sh(cmd: string, args: string[], input?: string): Promise<string> {
  const r = await execa(cmd, args, { reject: false, ...(input !== undefined ? { input } : {}) });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}): ${String(r.stderr || r.stdout).trim().slice(0, 1500)}`);
  return String(r.stdout);
}

/** Run a command whose failure is expected at times (already gone); resolves to the exit code. */
export async function trySh(cmd: string, args: string[]): Promise<number> {
  const r = await execa(cmd, args, { reject: false });
  return r.exitCode ?? 1;
}

/** Start a daemon in its own session, stdout+stderr appended to log; returns its record. */
export function spawnDaemon(cmd: string, args: string[], log: string, marker: string, env: NodeJS.ProcessEnv = process.env): ProcessRecord {
  checkInterrupted();
  const fd = openSync(log, 'a');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env });
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
    return { pid: child.pid, marker, log };
  } finally {
    closeSync(fd);
  }
}

export function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** Alive and still the process we started (its command line carries the marker). */
export function isOurs(p: ProcessRecord | undefined): p is ProcessRecord {
  if (!p) return false;
  const c = cmdline(p.pid);
  if (c === undefined || !c.includes(p.marker)) return false;
  // a zombie has an empty cmdline and is not "ours" any more
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** pids of live processes whose command line mentions any of the needles (leftover shims etc.) */
export function pidsMentioning(needles: string[]): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const c = cmdline(Number(e));
    if (c && needles.some((n) => c.includes(n))) out.push(Number(e));
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, wait up to graceMs, then SIGKILL whatever is left; only processes that are still ours. */
export async function stopProcesses(list: (ProcessRecord | undefined)[], graceMs: number): Promise<void> {
  const ours = list.filter(isOurs);
  for (const p of ours) signal(p.pid, 'SIGTERM');
  const end = Date.now() + graceMs;
  while (ours.some(isOurs) && Date.now() < end) await sleep(100);
  for (const p of ours.filter(isOurs)) signal(p.pid, 'SIGKILL');
  const killEnd = Date.now() + 3_000;
  while (ours.some(isOurs) && Date.now() < killEnd) await sleep(50);
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export async function waitFor(what: string, fn: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    checkInterrupted();
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message ?? String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

/** The last lines of a log file, for error messages. */
export function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
