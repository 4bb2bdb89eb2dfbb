// A small flag parser for the kinglet subcommands: `--flag value`, `--flag=value`, booleans,
// repeated flags, required checks, and help text generated from the same spec.

export interface FlagSpec {
  /** long name without dashes: 'data-dir' */
  name: string;
  type: 'string' | 'boolean';
  description: string;
  /** placeholder in help: DIR, HOST:PORT (default VALUE) */
  valueName?: string;
  default?: string | boolean;
  required?: boolean;
  /** may be given several times; the value is then string[] */
  repeated?: boolean;
}

export interface CommandSpec {
  /** 'apiserver', or 'token create' for nested commands */
  name: string;
  summary: string;
  /** extra paragraph(s) shown under the usage line */
  description?: string;
  flags: FlagSpec[];
  /** names of positional arguments for the usage line, e.g. ['NAME']; none allowed when absent */
  positionals?: string[];
  /** the last positional takes every remaining argument (`lab exec NODE -- CMD...`) */
  restPositional?: boolean;
}

export type FlagValue = string | boolean | string[];

export interface ParsedArgs {
  flags: Record<string, FlagValue | undefined>;
  positionals: string[];
  /** --help / -h was given: the caller prints help and exits 0 (required checks are skipped) */
  help: boolean;
}

/** Bad command line: the CLI prints the message (and a hint) to stderr and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const HELP_FLAG: FlagSpec = { name: 'help', type: 'boolean', description: 'show this help and exit' };

function parseBool(flag: string, v: string, command: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new UsageError(`invalid value "${v}" for --${flag}: expected true or false`, command);
}

export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const flags: Record<string, FlagValue | undefined> = {};
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown shorthand flag: ${arg}`, spec.name);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const f = byName.get(name);
    if (!f) throw new UsageError(`unknown flag: --${name}`, spec.name);

    let value: string | boolean;
    if (f.type === 'boolean') {
      value = eq === -1 ? true : parseBool(name, arg.slice(eq + 1), spec.name);
    } else if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`flag needs an argument: --${name}`, spec.name);
      }
      value = next;
      i++;
    }

    if (f.repeated) {
      const prev = flags[name];
      flags[name] = [...(Array.isArray(prev) ? prev : []), String(value)];
    } else {
      flags[name] = value;
    }
  }

  if (help) return { flags, positionals, help };

  for (const f of spec.flags) {
    if (flags[f.name] !== undefined) continue;
    if (f.required) throw new UsageError(`required flag --${f.name} not set`, spec.name);
    if (f.default !== undefined) flags[f.name] = f.repeated ? [String(f.default)] : f.default;
  }
  const maxPositionals = spec.positionals?.length ?? 0;
  if (!spec.restPositional && positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${positionals[maxPositionals]}"`, spec.name);
  }
  return { flags, positionals, help };
}

/** Plain-text help: usage line, description, then one entry per flag with its default. */
export function helpText(spec: CommandSpec, program = 'kinglet'): string {
  const lines: string[] = [];
  const required = spec.flags.filter((f) => f.required).map((f) => `--${f.name} ${f.valueName ?? 'VALUE'}`);
  const usage = [program, spec.name, ...required, '[flags]', ...(spec.positionals ?? [])].join(' ');
  lines.push(`${spec.summary}`, '', `Usage:`, `  ${usage}`);
  if (spec.description) lines.push('', spec.description.trimEnd());
  lines.push('', 'Flags:');
  const rows = [...spec.flags, HELP_FLAG].map((f) => {
    const left = f.type === 'boolean' ? `--${f.name}` : `--${f.name} ${f.valueName ?? 'VALUE'}`;
    const notes: string[] = [];
    if (f.required) notes.push('required');
    if (f.default !== undefined && f.default !== false) notes.push(`default ${f.default}`);
    if (f.repeated) notes.push('may be repeated');
    return [left, f.description + (notes.length ? ` (${notes.join('; ')})` : '')] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  for (const [l, r] of rows) lines.push(`  ${l.padEnd(width)}${r}`);
  return lines.join('\n') + '\n';
}
