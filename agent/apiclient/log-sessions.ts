// Log sessions multiplexed over the agent stream: each LogRequest gets an AbortSignal that fires on
// CancelSession or when the stream carrying it is lost (the client's request died with it).
import type { LogRequest__Output, AgentMessage } from '../../proto/load.js';
import type { LogRequestInfo, SessionOutput } from './types.js';

export type LogHandler = (req: LogRequestInfo, out: SessionOutput, signal: AbortSignal) => void;

// Stay well under gRPC's default 4 MiB message limit on the receiving side.
const CHUNK = 1 << 20;

export function toLogRequestInfo(r: LogRequest__Output): LogRequestInfo {
  return {
    sessionId: r.sessionId,
    namespace: r.namespace,
    pod: r.pod,
    container: r.container,
    follow: r.follow,
    previous: r.previous,
    tailLines: r.tailLines >= 0 ? r.tailLines : undefined,
    sinceSeconds: r.sinceSeconds > 0 ? r.sinceSeconds : undefined,
    sinceTime: r.sinceTime || undefined,
    timestamps: r.timestamps,
    limitBytes: r.limitBytes > 0 ? r.limitBytes : undefined,
  };
}

export class LogSessions {
  private readonly active = new Map<string, AbortController>();
  private handler?: LogHandler;

  setHandler(h: LogHandler): void {
    this.handler = h;
  }

  /** Start a session whose output goes through write (bound to one stream). */
  start(req: LogRequest__Output, write: (msg: AgentMessage) => void): void {
    const sessionId = req.sessionId;
    this.active.get(sessionId)?.abort();
    const ac = new AbortController();
    this.active.set(sessionId, ac);
    let ended = false;
    const out: SessionOutput = {
      write: (data) => {
        if (ended || ac.signal.aborted) return;
        for (let off = 0; off < data.length; off += CHUNK) {
          write({ sessionData: { sessionId, stream: 1, data: data.subarray(off, off + CHUNK) } });
        }
      },
      end: (errorStatus) => {
        if (ended) return;
        ended = true;
        if (this.active.get(sessionId) === ac) this.active.delete(sessionId);
        if (ac.signal.aborted) return;
        const errorStatusJson = errorStatus ? Buffer.from(JSON.stringify(errorStatus)) : Buffer.alloc(0);
        write({ sessionData: { sessionId, stream: 1, eof: true, errorStatusJson } });
      },
    };
    if (!this.handler) {
      out.end({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'this agent does not serve logs', reason: 'InternalError', code: 500 });
      return;
    }
    try {
      this.handler(toLogRequestInfo(req), out, ac.signal);
    } catch (err) {
      out.end({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: (err as Error).message, reason: 'InternalError', code: 500 });
    }
  }

  cancel(sessionId: string): void {
    const ac = this.active.get(sessionId);
    this.active.delete(sessionId);
    ac?.abort();
  }

  /** The stream is gone: every session on it is over. */
  cancelAll(): void {
    const all = [...this.active.values()];
    this.active.clear();
    for (const ac of all) ac.abort();
  }

  count(): number {
    return this.active.size;
  }
}
