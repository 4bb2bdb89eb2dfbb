// Writes the benchmark result as JSON (machine-readable) and a short Markdown table (for humans).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from './stats.js';

export interface TargetCheck {
  name: string;
  measured: number;
  target: number;
  unit: string;
  /** measured / target: ≤ 1 meets the target */
  ratio: number;
  ok: boolean;
}

export function check(name: string, measured: number, target: number, unit: string): TargetCheck {
  const ratio = Math.round((measured / target) * 1000) / 1000;
  return { name, measured, target, unit, ratio, ok: Number.isFinite(measured) && measured <= target };
}

export function writeReport(dir: string, base: string, result: { ops: Record<string, Summary & { errors: number }>; checks: TargetCheck[]; [k: string]: unknown }, header: string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.json`), JSON.stringify(result, null, 2) + '\n');
  const lines = [
    ...header,
    '',
    '| operation | n | errors | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(result.ops).map(([k, s]) => `| ${k} | ${s.n} | ${s.errors} | ${s.p50} | ${s.p99} | ${s.max} |`),
    '',
    '| target | measured | target | ratio (≤ 1 is good) | met |',
    '| --- | ---: | ---: | ---: | :---: |',
    ...result.checks.map((c) => `| ${c.name} | ${c.measured} ${c.unit} | ${c.target} ${c.unit} | ${c.ratio} | ${c.ok ? 'yes' : 'no'} |`),
    '',
  ];
  writeFileSync(join(dir, `${base}.md`), lines.join('\n'));
}
