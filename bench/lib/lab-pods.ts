// Pods for the lab tests and benchmarks: a web pod whose readiness follows a host file, and a "pod
// shell": there is no `kubectl exec` yet, so a pod runs the scripts dropped into a hostPath
// directory (lab nodes share the host's files) and writes each one's output back there. Traffic then really starts inside the pod (its netns, its resolv.conf,
// the node's Service rules) while the caller reads plain files.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PodShell {
  manifest: string;
  /** runs script with sh inside the pod; resolves with its output and exit code */
  run(script: string, timeoutMs?: number): Promise<{ out: string; code: number }>;
  cleanup(): void;
}

/** Answers GET /cgi-bin/ip with "server=NAME client=PEER"; Ready while HOSTDIR/ready exists. */
export function webPod(name: string, node: string, image: string, flagDir: string, port = 8080, app = 'web'): string {
  const script = `mkdir -p /tmp/www/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho server=${name} client=$REMOTE_ADDR\\n' > /tmp/www/cgi-bin/ip && chmod +x /tmp/www/cgi-bin/ip && exec httpd -f -p ${port} -h /tmp/www`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app } },
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function podShell(name: string, node: string, image: string): PodShell {
  const dir = mkdtempSync(join(tmpdir(), `kinglet-podshell-${name}-`));
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
      const end = Date.now() + timeoutMs;
      for (;;) {
        let text: string | undefined;
        try {
          text = readFileSync(join(dir, `out-${i}`), 'utf8');
        } catch {
          if (Date.now() > end) throw new Error(`pod ${name} did not run script ${i} within ${timeoutMs} ms`);
          await sleep(50);
          continue;
        }
        const m = /exit=(\d+)\n$/.exec(text);
        return { out: m ? text.slice(0, m.index) : text, code: m ? Number(m[1]) : -1 };
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
