// DIR/lab.json: what `lab up` made, written after every step so `lab down` after a failed or
// interrupted up still knows every process it must stop.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessRecord {
  pid: number;
  /** a word the process's command line must contain, so a reused pid is never killed */
  marker: string;
  log: string;
}

export interface NodeRecord {
  name: string;
  netns: string;
  ip: string;
  dockerSock: string;
  dockerd?: ProcessRecord;
  agent?: ProcessRecord;
}

export interface LabState {
  id: string;
  dir: string;
  subnet: string;
  hostIp: string;
  hostLink: string;
  labNs: string;
  runDir: string;
  registry: string;
  apiserverUrl: string;
  kubeconfig: string;
  nodes: NodeRecord[];
  apiserver?: ProcessRecord;
  registryProcess?: ProcessRecord;
  createdAt: string;
}

export const STATE_FILE = 'lab.json';

export function readState(dir: string): LabState | undefined {
  const p = join(dir, STATE_FILE);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true });
  const p = join(state.dir, STATE_FILE);
  writeFileSync(`${p}.tmp`, JSON.stringify(state, null, 2) + '\n');
  renameSync(`${p}.tmp`, p);
}
