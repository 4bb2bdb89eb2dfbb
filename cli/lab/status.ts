// `kinglet lab status`: the lab's nodes and processes from DIR/lab.json, each checked live, plus
// every node's Ready condition when the apiserver answers.
import { adminAccess } from './control-plane.js';
import { nodeReadiness } from './daemons.js';
import { isOurs } from './proc.js';
import { apiserverDir } from './up.js';
import type { LabState, ProcessRecord } from './state.js';

const ps = (p: ProcessRecord | undefined): string => (p ? `${p.pid} ${isOurs(p) ? 'running' : 'exited'}` : '-');

export async function labStatusLines(state: LabState): Promise<string[]> {
  let ready = new Map<string, string>();
  let apiNote = '';
  try {
    const a = await adminAccess(apiserverDir(state));
    ready = await nodeReadiness(state.apiserverUrl, a.token, a.caPem);
  } catch (e) {
    apiNote = ` (not answering: ${(e as Error).message})`;
  }
  const rows = [['NODE', 'IP', 'NETNS', 'READY', 'DOCKERD', 'AGENT']];
  for (const n of state.nodes) rows.push([n.name, n.ip, n.netns, ready.get(n.name) ?? 'Unknown', ps(n.dockerd), ps(n.agent)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 2);
  return [
    `lab: ${state.id} (${state.dir})`,
    `subnet: ${state.subnet} (host ${state.hostIp} on ${state.hostLink})`,
    `apiserver: ${state.apiserverUrl} ${ps(state.apiserver)}${apiNote}`,
    `registry: ${state.registry}`,
    `registry process: ${ps(state.registryProcess)}`,
    `kubeconfig: ${state.kubeconfig}`,
    '',
    ...rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('').trimEnd()),
  ];
}
