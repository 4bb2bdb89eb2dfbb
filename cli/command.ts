// What every kinglet subcommand provides to the dispatcher in cli/main.ts.
import type { CommandSpec, ParsedArgs } from './args.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface Command {
  spec: CommandSpec;
  /** resolves to the process exit code; throws UsageError for bad flag values (exit 2) */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Reads a string flag the parser already filled (required or defaulted). */
export function stringFlag(args: ParsedArgs, name: string): string {
  const v = args.flags[name];
  if (typeof v !== 'string') throw new Error(`internal: flag --${name} has no string value`);
  return v;
}
