import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../../cli/args.js';
import { labDir, labExecCommand, labStopNodeCommand, labUpCommand } from '../../../../cli/commands/lab.js';
import { main } from '../../../../cli/main.js';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
};

describe('kinglet lab', () => {
  it('finds the lab dir from --dir, then KINGLET_LAB_DIR, then ~/.kinglet/lab', () => {
    const spec = labExecCommand.spec;
    expect(labDir(parseArgs(spec, ['node1', '--dir', 'rel/lab', '--', 'true']), {})).toBe(join(process.cwd(), 'rel/lab'));
    expect(labDir(parseArgs(spec, ['node1', '--', 'true']), { KINGLET_LAB_DIR: '/srv/lab' })).toBe('/srv/lab');
    expect(labDir(parseArgs(spec, ['node1', '--', 'true']), {})).toBe(join(homedir(), '.kinglet', 'lab'));
  });

  it('exec takes every word after -- as the command, flags there included', () => {
    const a = parseArgs(labExecCommand.spec, ['node2', '--dir', '/x', '--', 'ping', '-c', '1', '--help']);
    expect(a.positionals).toEqual(['node2', 'ping', '-c', '1', '--help']);
    expect(a.help).toBe(false);
    expect(a.flags['dir']).toBe('/x');
  });

  it('exec without a command and up with a bad --nodes are usage errors (exit 2)', async () => {
    const h = io();
    expect(await main(['lab', 'exec', 'node1', '--dir', '/nonexistent'], h.io)).toBe(2);
    expect(h.err.join('')).toMatch(/need NODE and a command/);
    const u = io();
    expect(await main(['lab', 'up', '--nodes', '0', '--dir', '/nonexistent'], u.io)).toBe(2);
    expect(u.err.join('')).toMatch(/--nodes/);
    expect(labUpCommand.spec.flags.find((f) => f.name === 'nodes')?.default).toBe('3');
  });

  it('status and exec on a directory without a lab fail with a clear message', async () => {
    const s = io();
    expect(await main(['lab', 'status', '--dir', '/nonexistent/lab'], s.io)).toBe(1);
    expect(s.err.join('')).toMatch(/no lab in \/nonexistent\/lab/);
    const e = io();
    expect(await main(['lab', 'exec', 'node1', '--dir', '/nonexistent/lab', '--', 'true'], e.io)).toBe(1);
  });

  it('up passes each --apiserver-arg (values may start with --) through, in order', () => {
    const a = parseArgs(labUpCommand.spec, ['--apiserver-arg=--node-monitor-grace-period=20s', '--apiserver-arg', '-v', '--apiserver-arg=--default-unreachable-toleration-seconds=5']);
    expect(a.flags['apiserver-arg']).toEqual(['--node-monitor-grace-period=20s', '-v', '--default-unreachable-toleration-seconds=5']);
    expect(parseArgs(labUpCommand.spec, []).flags['apiserver-arg']).toBeUndefined();
  });

  it('stop-node needs NODE, and fails clearly without a lab or with an unknown node', async () => {
    const n = io();
    expect(await main(['lab', 'stop-node', '--dir', '/nonexistent/lab'], n.io)).toBe(2);
    expect(n.err.join('')).toMatch(/need NODE/);
    const s = io();
    expect(await main(['lab', 'stop-node', 'node1', '--dir', '/nonexistent/lab'], s.io)).toBe(1);
    expect(s.err.join('')).toMatch(/no lab in \/nonexistent\/lab/);
    expect(labStopNodeCommand.spec.positionals).toEqual(['NODE']);
  });
});
