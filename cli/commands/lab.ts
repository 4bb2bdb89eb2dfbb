// `kinglet lab up|down|status|exec`: a multi-node cluster on one machine (network namespaces, one
// dockerd and agent per node, a registry and the apiserver on the host side). See cli/lab/.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError, type FlagSpec, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';

const DIR_HELP = 'lab directory (default: $KINGLET_LAB_DIR, else ~/.kinglet/lab)';
const dirFlag: FlagSpec = { name: 'dir', type: 'string', valueName: 'DIR', description: DIR_HELP };

/** --dir, else $KINGLET_LAB_DIR, else ~/.kinglet/lab: every lab command finds the same lab the same way. */
export function labDir(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): string {
  const flag = args.flags['dir'];
  if (typeof flag === 'string' && flag !== '') return resolve(flag);
  if (env.KINGLET_LAB_DIR) return resolve(env.KINGLET_LAB_DIR);
  return join(homedir(), '.kinglet', 'lab');
}

const lab = () => import('../lab/index.js');

export const labUpCommand: Command = {
  spec: {
    name: 'lab up',
    summary: 'Build a multi-node cluster on this machine (netns per node, dockerd, agent, registry).',
    description: [
      'Creates one network namespace per node (node1..nodeN, no default route) wired to a lab bridge, one',
      'dockerd and one `kinglet agent` per node inside its namespace, a registry with the test images and the',
      'apiserver on the host side of the bridge. Writes DIR/kubeconfig and waits until every node is Ready.',
      'Prints one progress line per step. On failure everything made so far is removed again.',
    ].join('\n'),
    flags: [
      { name: 'nodes', type: 'string', valueName: 'N', default: '3', description: 'number of nodes' },
      dirFlag,
      { name: 'apiserver-arg', type: 'string', valueName: '--FLAG=VALUE', repeated: true, description: 'pass a flag to the apiserver (repeatable), e.g. --apiserver-arg=--node-monitor-grace-period=10s' },
    ],
  },
  async run(args, io) {
    const n = Number(args.flags['nodes']);
    if (!Number.isInteger(n) || n < 1 || n > 200) throw new UsageError('--nodes must be an integer between 1 and 200', 'lab up');
    const dir = labDir(args);
    const { labUp, labDown, interrupted } = await lab();
    const t0 = Date.now();
    // Ctrl-C during up: stop starting things, then the failure path below removes what was made.
    const onSignal = (): void => interrupted.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const apiserverArgs = (args.flags['apiserver-arg'] as string[] | undefined) ?? [];
      await labUp({ dir, nodes: n, apiserverArgs, progress: (l) => io.stdout(`${l}\n`) });
    } catch (e) {
      io.stderr(`error: lab up failed: ${(e as Error).message}\n`);
      // a refused up (a lab is already there) must not tear down that lab
      if (!/already exists/.test((e as Error).message)) await labDown(dir, (l) => io.stderr(`cleanup: ${l}\n`)).catch((d: Error) => io.stderr(`cleanup failed: ${d.message}\n`));
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    io.stdout(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)}s; try: kubectl --kubeconfig ${join(dir, 'kubeconfig')} get nodes\n`);
    return 0;
  },
};

export const labDownCommand: Command = {
  spec: {
    name: 'lab down',
    summary: 'Remove everything `kinglet lab up` made (processes, namespaces, links, data). Safe to repeat.',
    flags: [dirFlag],
  },
  async run(args, io) {
    const t0 = Date.now();
    await (await lab()).labDown(labDir(args), (l) => io.stdout(`${l}\n`));
    io.stdout(`lab down in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
    return 0;
  },
};

export const labStatusCommand: Command = {
  spec: {
    name: 'lab status',
    summary: 'Show the lab\'s nodes, processes and registry (a line "registry: HOST:PORT").',
    flags: [dirFlag],
  },
  async run(args, io) {
    const dir = labDir(args);
    const { readState, labStatusLines } = await lab();
    const state = readState(dir);
    if (!state) {
      io.stderr(`error: no lab in ${dir} (start one with "kinglet lab up --dir ${dir}")\n`);
      return 1;
    }
    io.stdout((await labStatusLines(state)).join('\n') + '\n');
    return 0;
  },
};

export const labExecCommand: Command = {
  spec: {
    name: 'lab exec',
    summary: 'Run a command inside a lab node\'s network namespace (how to reach pod and Service IPs).',
    description: [
      'Usage: kinglet lab exec NODE [--dir DIR] -- CMD [ARGS...]',
      'The lab is found as for every lab command: --dir, else $KINGLET_LAB_DIR, else ~/.kinglet/lab.',
      'The command shares the node\'s network only (files and processes are the host\'s); its exit code is returned.',
      'Example: kinglet lab exec node1 -- ip route',
    ].join('\n'),
    flags: [dirFlag],
    positionals: ['NODE', 'CMD...'],
    restPositional: true,
  },
  async run(args, io) {
    const [node, ...cmd] = args.positionals;
    if (!node || cmd.length === 0) throw new UsageError('need NODE and a command: kinglet lab exec NODE -- CMD', 'lab exec');
    const dir = labDir(args);
    const state = (await lab()).readState(dir);
    if (!state) {
      io.stderr(`error: no lab in ${dir}\n`);
      return 1;
    }
    const n = state.nodes.find((x) => x.name === node);
    if (!n) {
      io.stderr(`error: no node "${node}" in lab ${state.id} (nodes: ${state.nodes.map((x) => x.name).join(', ')})\n`);
      return 1;
    }
    return new Promise<number>((res) => {
      const child = spawn('nsenter', [`--net=/run/netns/${n.netns}`, '--', ...cmd], { stdio: 'inherit' });
      child.on('error', (e) => {
        io.stderr(`error: ${e.message}\n`);
        res(127);
      });
      child.on('exit', (code, sig) => res(code ?? (sig ? 128 : 1)));
    });
  },
};

export const labStopNodeCommand: Command = {
  spec: {
    name: 'lab stop-node',
    summary: 'Fail one lab node: stop its agent, then its dockerd (its containers stop with it).',
    description: [
      'Usage: kinglet lab stop-node NODE [--dir DIR]',
      'The node\'s namespace and record stay; the control plane sees a node that stopped reporting and, after',
      '--node-monitor-grace-period and the toleration seconds, evicts its pods. `lab down` cleans up as usual.',
    ].join('\n'),
    flags: [dirFlag],
    positionals: ['NODE'],
  },
  async run(args, io) {
    const [node] = args.positionals;
    if (!node) throw new UsageError('need NODE: kinglet lab stop-node NODE', 'lab stop-node');
    try {
      await (await lab()).labStopNode(labDir(args), node, (l) => io.stdout(`${l}\n`));
    } catch (e) {
      io.stderr(`error: ${(e as Error).message}\n`);
      return 1;
    }
    return 0;
  },
};

export const labCommands: Command[] = [labUpCommand, labDownCommand, labStatusCommand, labExecCommand, labStopNodeCommand];
