// The `kinglet` command: a tiny dispatcher from the first argument to a subcommand. New subcommands
// (agent, token create, lab) register in COMMANDS; nested ones use a space in spec.name.
import { UsageError, helpText, parseArgs } from './args.js';
import { processIO, type CliIO, type Command } from './command.js';
import { agentCommand } from './commands/agent.js';
import { apiserverCommand } from './commands/apiserver.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { labCommands } from './commands/lab.js';
import { tokenCreateCommand } from './commands/token.js';
import { kingletVersion } from './version.js';

const versionCommand: Command = {
  spec: { name: 'version', summary: 'Print the kinglet version.', flags: [] },
  async run(_args, io) {
    io.stdout(`${kingletVersion()}\n`);
    return 0;
  },
};

export const COMMANDS: Command[] = [agentCommand, apiserverCommand, kubeconfigCommand, ...labCommands, tokenCreateCommand, versionCommand];

export function topLevelHelp(commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return [
    'kinglet — a small Kubernetes: a Kubernetes-compatible apiserver and Docker-backed node agents.',
    '',
    'Usage:',
    '  kinglet <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Flags:',
    '  --help, -h   show help (also: kinglet <command> --help)',
    '  --version    print the version',
    '',
  ].join('\n');
}

/** Longest match of argv's leading words against command names ("token create" before "token"). */
function findCommand(argv: string[], commands: Command[]): { cmd: Command; rest: string[] } | undefined {
  let best: { cmd: Command; rest: string[] } | undefined;
  for (const cmd of commands) {
    const words = cmd.spec.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.cmd.spec.name.split(' ').length)) {
      best = { cmd, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export async function main(argv: string[], io: CliIO = processIO, commands: Command[] = COMMANDS): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' && argv.length > 1 ? findCommand(argv.slice(1), commands) : undefined;
    if (first === 'help' && argv.length > 1 && !target) {
      io.stderr(`error: unknown command "${argv.slice(1).join(' ')}"\nRun 'kinglet --help' for usage.\n`);
      return 2;
    }
    // Bare `kinglet` is a usage mistake (help on stderr, exit 2); asking for help is not.
    if (first === undefined) {
      io.stderr(topLevelHelp(commands));
      return 2;
    }
    io.stdout(target ? helpText(target.cmd.spec) : topLevelHelp(commands));
    return 0;
  }
  if (first === '--version') return versionCommand.run({ flags: {}, positionals: [], help: false }, io);

  const found = findCommand(argv, commands);
  if (!found) {
    const what = first.startsWith('-') ? `unknown flag: ${first}` : `unknown command "${first}"`;
    io.stderr(`error: ${what}\nRun 'kinglet --help' for usage.\n`);
    return 2;
  }
  const { cmd, rest } = found;
  try {
    const args = parseArgs(cmd.spec, rest);
    if (args.help) {
      io.stdout(helpText(cmd.spec));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\nRun 'kinglet ${cmd.spec.name} --help' for usage.\n`);
      return 2;
    }
    io.stderr(`error: ${(e as Error).message}\n`);
    return 1;
  }
}
