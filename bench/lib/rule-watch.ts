// Watches one node namespace for an iptables rule: a single long-lived shell per node runs
// `iptables-save -t nat` every intervalMs and prints 1/0 for "the rule text is there", and each line
// is timestamped (performance.now) as it arrives. One process per node instead of one per poll
// keeps the observer cheap; its resolution (the mean gap between samples) is reported beside it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RuleWatch {
  /** the rule is there (as of the last sample) */
  present: boolean;
  /** when the last sample that found it after one that did not arrived (performance.now) */
  appearedAt: number;
  samples: number;
  meanGapMs(): number;
  stop(): void;
}

export function watchRule(netns: string, needle: string, intervalMs = 20): RuleWatch {
  const script = `while :; do if iptables-save -t nat | grep -qF -- "$NEEDLE"; then echo 1; else echo 0; fi; sleep ${intervalMs / 1000}; done`;
  const proc = spawn('ip', ['netns', 'exec', netns, 'sh', '-c', script], { env: { ...process.env, NEEDLE: needle }, stdio: ['ignore', 'pipe', 'inherit'] });
  let first = 0;
  let last = 0;
  const w: RuleWatch = {
    present: false,
    appearedAt: 0,
    samples: 0,
    meanGapMs: () => (w.samples > 1 ? (last - first) / (w.samples - 1) : NaN),
    stop: () => void proc.kill('SIGKILL'),
  };
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const now = performance.now();
    if (w.samples++ === 0) first = now;
    last = now;
    const on = line.trim() === '1';
    if (on && !w.present) w.appearedAt = now;
    w.present = on;
  });
  return w;
}
