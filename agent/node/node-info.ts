// Reads this machine for the Node object: static facts once at start, pressure readings each round.
// systeminformation covers CPU, memory and OS; /proc and statfs cover what it does not (PIDs, the
// data dir's filesystem).
import { readFile, statfs } from 'node:fs/promises';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import * as si from 'systeminformation';
import { goArch, parseOsRelease, type NodeFacts, type NodeReadings } from './node-status.js';

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** The first non-internal IPv4 address (the default for --node-ip). */
export function firstNonInternalIPv4(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export async function collectNodeFacts(opts: { nodeName: string; nodeIp?: string }): Promise<NodeFacts> {
  const [cpu, mem, os, uuid, osRelease, machineId, bootId] = await Promise.all([
    si.cpu(),
    si.mem(),
    si.osInfo(),
    si.uuid().catch(() => undefined),
    readText('/etc/os-release'),
    readText('/etc/machine-id'),
    readText('/proc/sys/kernel/random/boot_id'),
  ]);
  return {
    nodeName: opts.nodeName,
    hostname: os.hostname || osHostname(),
    nodeIp: opts.nodeIp || firstNonInternalIPv4() || '',
    // logical CPUs, as the kubelet counts them
    cpuCores: cpu.cores,
    memoryTotalBytes: mem.total,
    kernelVersion: os.kernel,
    osImage: (osRelease && parseOsRelease(osRelease)) || `${os.distro} ${os.release}`.trim(),
    architecture: goArch(process.arch),
    machineID: machineId ?? '',
    systemUUID: uuid?.hardware || '',
    bootID: bootId ?? '',
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export type RuntimeVersionFn = () => Promise<{ version: string }>;

export async function collectNodeReadings(opts: { dataDir: string; runtimeVersion: RuntimeVersionFn; timeoutMs?: number }): Promise<NodeReadings> {
  const r: NodeReadings = {};
  const timeout = opts.timeoutMs ?? 5000;
  const tasks: Array<Promise<void>> = [
    si.mem().then((m) => void (r.memoryAvailableBytes = m.available)),
    statfs(opts.dataDir).then((s) => {
      r.fsTotalBytes = s.blocks * s.bsize;
      r.fsAvailableBytes = s.bavail * s.bsize;
    }),
    // /proc/loadavg's 4th field is running/total scheduling entities: what pid_max bounds.
    readText('/proc/loadavg').then((t) => {
      const total = Number(t?.split(/\s+/)[3]?.split('/')[1]);
      if (Number.isFinite(total)) r.pidsInUse = total;
    }),
    readText('/proc/sys/kernel/pid_max').then((t) => {
      const n = Number(t);
      if (t && Number.isFinite(n)) r.pidMax = n;
    }),
    withTimeout(opts.runtimeVersion(), timeout).then((v) => void (r.runtimeVersion = `docker://${v.version}`)),
  ];
  // A failed reading leaves its field unset; it never fails the round.
  await Promise.allSettled(tasks);
  return r;
}
