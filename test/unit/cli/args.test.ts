import { describe, expect, it } from 'vitest';
import { UsageError, helpText, parseArgs, type CommandSpec } from '../../../cli/args.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A demo command.',
  flags: [
    { name: 'data-dir', type: 'string', valueName: 'DIR', required: true, description: 'where data lives' },
    { name: 'listen', type: 'string', valueName: 'HOST:PORT', default: '127.0.0.1:6443', description: 'listen address' },
    { name: 'verbose', type: 'boolean', description: 'talk more' },
    { name: 'endpoint', type: 'string', valueName: 'URL', repeated: true, description: 'an endpoint' },
  ],
};

describe('parseArgs', () => {
  it('accepts --flag value and --flag=value and fills defaults', () => {
    expect(parseArgs(spec, ['--data-dir', '/d'])).toEqual({
      flags: { 'data-dir': '/d', listen: '127.0.0.1:6443' },
      positionals: [],
      help: false,
    });
    expect(parseArgs(spec, ['--data-dir=/x=y', '--listen=0.0.0.0:1']).flags).toMatchObject({ 'data-dir': '/x=y', listen: '0.0.0.0:1' });
  });

  it('parses booleans with and without a value', () => {
    expect(parseArgs(spec, ['--data-dir', 'd', '--verbose']).flags.verbose).toBe(true);
    expect(parseArgs(spec, ['--data-dir', 'd', '--verbose=false']).flags.verbose).toBe(false);
    expect(() => parseArgs(spec, ['--data-dir', 'd', '--verbose=maybe'])).toThrow(/invalid value "maybe" for --verbose/);
  });

  it('collects repeated flags in order', () => {
    expect(parseArgs(spec, ['--endpoint', 'a', '--data-dir', 'd', '--endpoint=b']).flags.endpoint).toEqual(['a', 'b']);
  });

  it('the last value of a non-repeated flag wins', () => {
    expect(parseArgs(spec, ['--data-dir', 'a', '--data-dir', 'b']).flags['data-dir']).toBe('b');
  });

  it('rejects unknown flags, missing values and missing required flags with UsageError', () => {
    expect(() => parseArgs(spec, ['--data-dir', 'd', '--nope'])).toThrow(UsageError);
    expect(() => parseArgs(spec, ['--data-dir', 'd', '--nope'])).toThrow('unknown flag: --nope');
    expect(() => parseArgs(spec, ['--data-dir'])).toThrow('flag needs an argument: --data-dir');
    expect(() => parseArgs(spec, ['--data-dir', '--verbose'])).toThrow('flag needs an argument: --data-dir');
    expect(() => parseArgs(spec, [])).toThrow('required flag --data-dir not set');
    expect(() => parseArgs(spec, ['-x'])).toThrow(/unknown shorthand flag: -x/);
    expect(() => parseArgs(spec, ['--data-dir', 'd', 'extra'])).toThrow('unexpected argument "extra"');
  });

  it('--help and -h skip the required checks', () => {
    expect(parseArgs(spec, ['--help']).help).toBe(true);
    expect(parseArgs(spec, ['-h', '--listen', 'x']).help).toBe(true);
  });

  it('takes positionals when the spec declares them, and everything after --', () => {
    const withPos = { ...spec, positionals: ['NAME', 'MORE'] };
    expect(parseArgs(withPos, ['n1', '--data-dir', 'd', '--', '--not-a-flag']).positionals).toEqual(['n1', '--not-a-flag']);
  });
});

describe('helpText', () => {
  const text = helpText(spec);
  it('shows usage with required flags and every flag with its notes', () => {
    expect(text).toContain('A demo command.');
    expect(text).toContain('kinglet demo --data-dir DIR [flags]');
    expect(text).toMatch(/--data-dir DIR\s+where data lives \(required\)/);
    expect(text).toMatch(/--listen HOST:PORT\s+listen address \(default 127\.0\.0\.1:6443\)/);
    expect(text).toMatch(/--verbose\s+talk more\n/);
    expect(text).toMatch(/--endpoint URL\s+an endpoint \(may be repeated\)/);
    expect(text).toMatch(/--help\s+show this help/);
  });
});
