// batch/v1: Job and CronJob.
import type { KubeObject } from '../types.js';
import { invalid, isObj, nonNegative, oneOf, positive, required, semanticEqual, IMMUTABLE, type Causes } from './field.js';
import { subdomainRules, validateObjectMeta, validateTemplateMeta } from './meta.js';
import { selectorImmutable } from './workloads.js';
import { validateSelectorAndTemplate } from './template.js';

const JOB_RESTART = ['OnFailure', 'Never'];

/** A JobSpec at `path` (spec or spec.jobTemplate.spec). Selector is optional: the registry generates it. */
export function validateJobSpec(spec: any, path: string): Causes {
  if (!isObj(spec)) return [required(path)];
  const prefix = (c: Causes): Causes => (path === 'spec' ? c : c.map((x) => ({ ...x, field: x.field.replace(/^spec\./, `${path}.`) })));
  const out: Causes = [];
  out.push(...nonNegative(`${path}.parallelism`, spec.parallelism));
  out.push(...nonNegative(`${path}.completions`, spec.completions));
  out.push(...nonNegative(`${path}.backoffLimit`, spec.backoffLimit));
  out.push(...positive(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds));
  out.push(...nonNegative(`${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished));
  out.push(...oneOf(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    out.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  out.push(...oneOf(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['TerminatingOrFailed', 'Failed']));
  out.push(...prefix(validateSelectorAndTemplate(spec, { selectorOptional: true, restartPolicies: JOB_RESTART, what: 'job' })));
  return out;
}

export function validateJob(job: KubeObject): Causes {
  return [...validateObjectMeta(job.metadata, subdomainRules(true)), ...validateJobSpec(job.spec, 'spec')];
}

export function validateJobUpdate(job: KubeObject, old: KubeObject): Causes {
  const out = validateJob(job);
  // the registry generates a selector at create; a PUT that omits it keeps the old one
  if (job.spec?.selector) out.push(...selectorImmutable(job, old));
  for (const f of ['completionMode']) {
    if (!semanticEqual(job.spec?.[f], old.spec?.[f])) out.push(invalid(`spec.${f}`, job.spec?.[f] ?? null, IMMUTABLE));
  }
  if (!semanticEqual(job.spec?.completions, old.spec?.completions) && job.spec?.completionMode !== 'Indexed') {
    out.push(invalid('spec.completions', job.spec?.completions ?? null, IMMUTABLE));
  }
  // a running job's pods come from its template; only a suspended job may change it
  if (!old.spec?.suspend && !semanticEqual(job.spec?.template, old.spec?.template)) {
    out.push(invalid('spec.template', job.spec?.template ?? null, IMMUTABLE));
  }
  return out;
}

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELD_RE = /^[0-9A-Za-z*?/,\-LW#]+$/;

/** Light cron syntax check: 5 fields of cron characters, or an @descriptor. Returns a message. */
export function cronScheduleError(s: string): string | undefined {
  const t = s.trim();
  if (/^(CRON_)?TZ=/.test(t) || /\s(CRON_)?TZ=/.test(t)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (t.startsWith('@')) {
    if (DESCRIPTORS.includes(t)) return undefined;
    const every = /^@every\s+(\S+)$/.exec(t);
    if (every && /^([0-9.]+(ns|us|µs|ms|s|m|h))+$/.test(every[1])) return undefined;
    if (every) return `failed to parse duration ${t}`;
    return `unrecognized descriptor: ${t}`;
  }
  const fields = t.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  const bad = fields.find((f) => !FIELD_RE.test(f));
  return bad ? `failed to parse int from ${bad}` : undefined;
}

function timeZoneValid(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateCronJob(cj: KubeObject): Causes {
  const out = validateObjectMeta(cj.metadata, subdomainRules(true));
  // the name becomes a prefix of job names with an 11-character suffix
  if (cj.metadata?.name && cj.metadata.name.length > 52) {
    out.push(invalid('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  }
  const spec = cj.spec;
  if (!isObj(spec)) return [...out, required('spec')];
  if (!spec.schedule) out.push(required('spec.schedule'));
  else {
    const err = cronScheduleError(String(spec.schedule));
    if (err) out.push(invalid('spec.schedule', spec.schedule, err));
  }
  if (spec.timeZone !== undefined && spec.timeZone !== null) {
    if (typeof spec.timeZone !== 'string' || spec.timeZone.trim() !== spec.timeZone || !timeZoneValid(spec.timeZone)) {
      out.push(invalid('spec.timeZone', spec.timeZone, `unknown time zone ${spec.timeZone}`));
    }
  }
  out.push(...oneOf('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], true));
  out.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  out.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  out.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  const jt = spec.jobTemplate;
  if (!isObj(jt)) out.push(required('spec.jobTemplate'));
  else {
    out.push(...validateTemplateMeta(jt.metadata, 'spec.jobTemplate.metadata'));
    out.push(...validateJobSpec(jt.spec, 'spec.jobTemplate.spec'));
  }
  return out;
}
