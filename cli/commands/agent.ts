// `kinglet agent`: join the cluster (first start) or reuse DIR's node credential, run the node
// agent, print one readiness line on stdout, and on SIGTERM/SIGINT stop its loops and close the
// link WITHOUT stopping containers (pods keep running; the next agent adopts them).
import type { RunningAgent } from '../../agent/main.js';
import { UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { stringFlag, type CliIO, type Command } from '../command.js';

const spec: CommandSpec = {
  name: 'agent',
  summary: 'Run the node agent (runs this node\'s pods on the Docker Engine).',
  description: [
    'The first start exchanges --token (from `kinglet token create`) for a node credential stored in DIR;',
    'later starts reuse it and need no token. When running, prints exactly one line to stdout:',
    '  kinglet agent NODE started (server https://HOST:PORT)',
    'SIGTERM or SIGINT stops the agent; running pods keep running.',
  ].join('\n'),
  flags: [
    { name: 'server', type: 'string', valueName: 'URL', required: true, description: 'apiserver URL, https://HOST:PORT' },
    { name: 'token', type: 'string', valueName: 'TOKEN', description: 'join token (needed only for the first start)' },
    { name: 'node-name', type: 'string', valueName: 'NAME', description: 'this node\'s name (default: the hostname)' },
    { name: 'data-dir', type: 'string', valueName: 'DIR', required: true, description: 'directory for the node credential and pod volumes' },
    { name: 'docker-host', type: 'string', valueName: 'unix:///PATH', default: 'unix:///var/run/docker.sock', description: 'Docker Engine socket' },
    { name: 'node-ip', type: 'string', valueName: 'IP', description: 'the node\'s InternalIP (default: first non-loopback IPv4)' },
    { name: 'dns', type: 'boolean', default: true, description: 'serve cluster DNS to this node\'s pods (--dns=false: off)' },
    { name: 'dns-listen', type: 'string', valueName: 'IP:PORT', description: 'where the DNS listens (default: the cluster DNS IP, port 53, added to kinglet0)' },
    { name: 'dns-upstream', type: 'string', repeated: true, valueName: 'IP[:PORT]', description: 'resolvers for names outside the cluster (default: /etc/resolv.conf; "none": REFUSED)' },
    { name: 'pod-network', type: 'string', valueName: 'MODE', description: 'host-gw: routes to other nodes\' podCIDRs, forward accept, pod NAT in this namespace; none: leave routes and iptables alone (default: host-gw, none when --node-ip is loopback)' },
    { name: 'proxy', type: 'boolean', default: true, description: 'program iptables for Service VIPs and node ports (--proxy=false to leave iptables alone)' },
  ],
};

const optional = (args: ParsedArgs, name: string): string | undefined => {
  const v = args.flags[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

export async function runAgent(args: ParsedArgs, io: CliIO): Promise<number> {
  const { agentConfig } = await import('../../agent/config.js');
  let cfg;
  try {
    cfg = agentConfig({
      server: stringFlag(args, 'server'),
      token: optional(args, 'token'),
      nodeName: optional(args, 'node-name'),
      dataDir: stringFlag(args, 'data-dir'),
      dockerHost: optional(args, 'docker-host'),
      nodeIp: optional(args, 'node-ip'),
      dns: args.flags.dns !== false,
      dnsListen: optional(args, 'dns-listen'),
      dnsUpstreams: args.flags['dns-upstream'] as string[] | undefined,
      podNetwork: optional(args, 'pod-network'),
      proxy: args.flags.proxy !== false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, spec.name);
  }
  let agent: RunningAgent;
  try {
    agent = await (await import('../../agent/main.js')).startAgent(cfg);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return 1;
  }
  const done = new Promise<number>((resolve) => {
    let closing = false;
    const onSignal = (signal: string): void => {
      if (closing) {
        io.stderr(`received ${signal} again, exiting without waiting\n`);
        resolve(1);
        return;
      }
      closing = true;
      agent.stop().then(
        () => resolve(0),
        (e: unknown) => {
          io.stderr(`error: stopping the agent: ${(e as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
  io.stdout(`kinglet agent ${cfg.nodeName} started (server ${cfg.server})\n`);
  return done;
}

export const agentCommand: Command = { spec, run: runAgent };
