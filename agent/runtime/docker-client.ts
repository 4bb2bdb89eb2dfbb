// The dockerode client, without ssh2. docker-modem requires its ssh transport (and through it ssh2,
// whose poly1305 WebAssembly module reserves a 16 MiB memory, plus ~20 more modules of crypto code)
// at load time, for `ssh://` Docker hosts. The agent speaks only unix:// (socketFrom), so that code
// would be resident memory for nothing: ~3-4 MiB of the idle agent. Before dockerode loads, the ssh
// module's slot in the require cache gets a stub that refuses, so ssh2 is never read.
import { createRequire, Module } from 'node:module';
import type Docker from 'dockerode';

export type { Docker };

const require = createRequire(import.meta.url);

function refuseSsh(): never {
  throw new Error('ssh:// Docker hosts are not supported by the kinglet agent (only unix://)');
}

/** Idempotent; a docker-modem without lib/ssh.js (another version) just loads as it is. */
function stubSshTransport(): void {
  let path: string;
  try {
    path = createRequire(require.resolve('dockerode')).resolve('docker-modem/lib/ssh.js');
  } catch {
    return;
  }
  if (require.cache[path]) return;
  const m = new Module(path);
  m.filename = path;
  m.loaded = true;
  m.exports = refuseSsh;
  require.cache[path] = m;
}

stubSshTransport();
const DockerClass = require('dockerode') as typeof Docker;

export function newDockerClient(socketPath: string): Docker {
  return new DockerClass({ socketPath });
}
