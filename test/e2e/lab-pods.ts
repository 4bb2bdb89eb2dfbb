// Pod manifests for the lab Service tests, and a "pod shell": there is no `kubectl exec` yet, so a
// client pod runs the scripts the test drops into a hostPath directory (nodes share the host's
// files) and writes each one's output back there. The traffic then really starts inside the pod
// (its resolv.conf, its netns, the node's Service rules) while the test reads plain files.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './agent-cluster.js';

/** Answers GET /cgi-bin/ip with "server=NAME client=PEER"; Ready while HOSTDIR/ready exists. */
export function webPod(name: string, node: string, image: string, flagDir: string, port = 8080): string {
  const script = `mkdir -p /tmp/www/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho server=${name} client=$REMOTE_ADDR\\n' > /tmp/www/cgi-bin/ip && chmod +x /tmp/www/cgi-bin/ip && exec httpd -f -p ${port} -h /tmp/www`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'flag', hostPath: { path: flagDir, type: 'DirectoryOrCreate' } }],
      containers: [
        {
          name: 'httpd',
          image,
          command: ['sh', '-c', script],
          ports: [{ name: 'http', containerPort: port }],
          volumeMounts: [{ name: 'flag', mountPath: '/flag' }],
          readinessProbe: { exec: { command: ['cat', '/flag/ready'] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 },
        },
      ],
    },
  });
}

export interface PodShell {
  manifest: string;
  /** runs script with sh inside the pod; resolves with its output and exit code */
  run(script: string, timeoutMs?: number): Promise<{ out: string; code: number }>;
  cleanup(): void;
}

export function podShell(name: string, node: string, image: string): PodShell {
  const dir = mkdtempSync(join(tmpdir(), `kinglet-podshell-${name}-`));
  mkdirSync(dir, { recursive: true });
  const loop = 'i=0; while true; do if [ -f /ctl/cmd-$i ]; then sh /ctl/cmd-$i > /ctl/out-$i.tmp 2>&1; echo "exit=$?" >> /ctl/out-$i.tmp; mv /ctl/out-$i.tmp /ctl/out-$i; i=$((i+1)); else sleep 0.1; fi; done';
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'ctl', hostPath: { path: dir, type: 'Directory' } }],
      containers: [{ name: 'shell', image, command: ['sh', '-c', loop], volumeMounts: [{ name: 'ctl', mountPath: '/ctl' }] }],
    },
  });
  let n = 0;
  return {
    manifest,
    async run(script, timeoutMs = 30_000) {
      const i = n++;
      writeFileSync(join(dir, `tmp-${i}`), script);
      renameSync(join(dir, `tmp-${i}`), join(dir, `cmd-${i}`));
      const text = await until(`pod ${name} ran script ${i}`, () => {
        try {
          return readFileSync(join(dir, `out-${i}`), 'utf8');
        } catch {
          return undefined;
        }
      }, timeoutMs, 50);
      const m = /exit=(\d+)\n$/.exec(text);
      return { out: m ? text.slice(0, m.index) : text, code: m ? Number(m[1]) : -1 };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Names of the servers that answered, one per line of "server=NAME ...". */
export const servers = (out: string): string[] => [...out.matchAll(/server=(\S+)/g)].map((m) => m[1]!);
