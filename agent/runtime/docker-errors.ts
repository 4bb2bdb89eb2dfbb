// Docker API error and socket helpers: plain data in, plain data out (no dockerode import).

export interface DockerSocketOptions {
  socketPath?: string;
  /** unix:///path/docker.sock */
  dockerHost?: string;
}

interface DockerError {
  statusCode?: number;
  json?: { message?: string } | null;
  message?: string;
}

export function statusOf(e: unknown): number | undefined {
  return (e as DockerError | undefined)?.statusCode;
}

/** Docker's own words (the JSON body's message), not dockerode's "(HTTP code 404) ..." wrapper. */
export function messageOf(e: unknown): string {
  const d = e as DockerError | undefined;
  return (d?.json?.message ?? d?.message ?? String(e)).trim();
}

export function socketFrom(opts: DockerSocketOptions): string {
  if (opts.socketPath) return opts.socketPath;
  if (opts.dockerHost) {
    if (!opts.dockerHost.startsWith('unix://')) throw new Error(`unsupported docker host ${opts.dockerHost} (only unix://)`);
    return opts.dockerHost.slice('unix://'.length);
  }
  return '/var/run/docker.sock';
}
