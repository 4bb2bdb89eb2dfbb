// `kinglet lab stop-node NODE`: a node failing as a whole — its agent stops (no more heartbeats)
// and its dockerd stops with every container on it, while the namespace, its address and the
// lab's record stay, so `lab down` still cleans up as usual and the control plane sees a silent node.
import { isOurs, stopProcesses } from './proc.js';
import { readState, writeState } from './state.js';

export async function labStopNode(dir: string, node: string, progress: (line: string) => void): Promise<void> {
  const state = readState(dir);
  if (!state) throw new Error(`no lab in ${dir}`);
  const n = state.nodes.find((x) => x.name === node);
  if (!n) throw new Error(`no node "${node}" in lab ${state.id} (nodes: ${state.nodes.map((x) => x.name).join(', ')})`);
  const wasUp = [n.agent, n.dockerd].filter(isOurs).length;
  // agent first: a live agent would see its containers die and report that before going silent
  await stopProcesses([n.agent], 10_000);
  await stopProcesses([n.dockerd], 20_000);
  // kept in lab.json (isOurs is false for a dead pid), so status shows them stopped and down skips them
  writeState(state);
  progress(`${node}: ${wasUp ? 'agent and dockerd stopped' : 'already stopped'}`);
}
