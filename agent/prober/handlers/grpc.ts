// grpc probe: the standard health-checking protocol (grpc.health.v1.Health/Check) on the pod IP and
// port, plaintext as the kubelet dials it, service name as given ("" = the server as a whole).
import * as grpc from '@grpc/grpc-js';
import { loadHealthProto } from '../../../proto/load.js';
import { errText, hostPort, type ProbeOutcome, type ProbeTarget } from './types.js';

export function grpcProbe(h: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  const addr = hostPort(target.podIp, Number(h?.port));
  const service: string = h?.service ?? '';
  const { Health } = loadHealthProto();
  // no reconnect backoff, no keepalive: one probe, one short-lived channel
  const client = new Health(addr, grpc.credentials.createInsecure(), { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.enable_retries': 0 });
  const secs = `${timeoutMs / 1000}s`;
  return new Promise<ProbeOutcome>((resolve) => {
    const deadline = new Date(Date.now() + timeoutMs);
    client.waitForReady(deadline, (err?: Error) => {
      if (err) return resolve({ result: 'failure', output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${secs}` });
      if (signal?.aborted) return resolve({ result: 'failure', output: 'probe canceled' });
      const call = (client as any).Check({ service }, { deadline }, (e: grpc.ServiceError | null, res?: { status?: string }) => {
        signal?.removeEventListener('abort', cancel);
        if (e) {
          if (e.code === grpc.status.UNIMPLEMENTED) return resolve({ result: 'failure', output: `this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details}` });
          if (e.code === grpc.status.DEADLINE_EXCEEDED) return resolve({ result: 'failure', output: `timeout: health rpc did not complete within ${secs}` });
          return resolve({ result: 'failure', output: `error: health rpc probe failed: ${errText(e.details || e)}` });
        }
        const status = res?.status ?? 'UNKNOWN';
        resolve(status === 'SERVING' ? { result: 'success', output: '' } : { result: 'failure', output: `service unhealthy (responded with ${JSON.stringify(status)})` });
      });
      const cancel = (): void => call.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }).finally(() => client.close());
}
