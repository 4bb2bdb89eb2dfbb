// tcpSocket probe: a TCP connect to host (default: pod IP) and port within the timeout, then close.
import net from 'node:net';
import { dialError, hostPort, resolvePort, type ProbeOutcome, type ProbeTarget } from './types.js';

export function tcpProbe(h: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  const port = resolvePort(h?.port, target.container);
  if (port === undefined) return Promise.resolve({ result: 'failure', output: `unable to resolve port ${JSON.stringify(h?.port)}` });
  const host: string = h?.host || target.podIp;
  const addr = hostPort(host, port);
  return new Promise((resolve) => {
    let done = false;
    const sock = net.connect({ host, port });
    const finish = (o: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(o);
    };
    const onAbort = (): void => finish({ result: 'failure', output: `dial tcp ${addr}: operation was canceled` });
    const timer = setTimeout(() => finish({ result: 'failure', output: `dial tcp ${addr}: i/o timeout` }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => finish({ result: 'success', output: '' }));
    sock.once('error', (e) => finish({ result: 'failure', output: dialError(e, addr) }));
  });
}
