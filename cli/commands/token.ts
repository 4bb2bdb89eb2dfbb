// `kinglet token create --data-dir DIR [--ttl 24h]`: prints one join token (CA pin + id.secret).
// Works while the apiserver runs: it re-reads the token file on every Join.
import { join, resolve } from 'node:path';
import { parseDuration } from '../../lib/duration.js';
import { UsageError } from '../args.js';
import { stringFlag, type Command } from '../command.js';

export const tokenCreateCommand: Command = {
  spec: {
    name: 'token create',
    summary: 'Create a join token for `kinglet agent --token`.',
    description: 'Prints one line: K10<ca sha256>::<id>.<secret>. Only a hash of the secret is stored in DIR.',
    flags: [
      { name: 'data-dir', type: 'string', valueName: 'DIR', required: true, description: 'the apiserver data directory' },
      { name: 'ttl', type: 'string', valueName: 'DURATION', default: '24h', description: 'how long the token may be used to join' },
    ],
  },
  async run(args, io) {
    let ttlMs: number;
    try {
      ttlMs = parseDuration(stringFlag(args, 'ttl'));
    } catch (e) {
      throw new UsageError(`--ttl: ${(e as Error).message}`, 'token create');
    }
    if (ttlMs <= 0) throw new UsageError('--ttl must be positive', 'token create');
    const dir = resolve(stringFlag(args, 'data-dir'));
    // loaded lazily: the agent process loads this command's file too, and needs none of this
    const [{ createBootstrapToken }, { CA_CERT_FILE }, { readIfExists }] = await Promise.all([
      import('../../apiserver/agents/bootstrap-tokens.js'),
      import('../../apiserver/auth/pki-files.js'),
      import('../../apiserver/auth/file-io.js'),
    ]);
    const caPem = await readIfExists(join(dir, CA_CERT_FILE));
    if (caPem === undefined) {
      io.stderr(`error: data dir ${dir} is not initialized (start "kinglet apiserver --data-dir ${dir}" once first)\n`);
      return 1;
    }
    io.stdout(`${await createBootstrapToken(dir, caPem, ttlMs)}\n`);
    return 0;
  },
};
