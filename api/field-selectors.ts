// Field selectors (`metadata.name=x,status.phase!=Running`) and the per-kind selectable fields,
// as the Kubernetes registries define them. Re-exported by selectors.ts.
import { ApiError } from '../lib/errors.js';
import type { KubeObject } from './types.js';

export type FieldRequirement = { field: string; op: '=' | '!='; value: string };
export type FieldSelector = FieldRequirement[];

/** Split on unescaped commas; `\,` `\=` `\!` `\\` are escapes as in apimachinery's fields package. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[++i];
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Parse `metadata.name=x,status.phase!=Running` (`==` accepted). Throws ApiError BadRequest. */
export function parseFieldSelector(text: string | undefined): FieldSelector {
  if (!text || text.trim() === '') return [];
  const out: FieldSelector = [];
  for (const term of splitTerms(text)) {
    if (term.trim() === '') continue;
    // the first unescaped operator splits field from value
    let idx = -1;
    let len = 0;
    let op: '=' | '!=' = '=';
    for (let i = 0; i < term.length; i++) {
      if (term[i] === '\\') {
        i++;
        continue;
      }
      if (term.startsWith('!=', i)) [idx, len, op] = [i, 2, '!='];
      else if (term.startsWith('==', i)) [idx, len, op] = [i, 2, '='];
      else if (term[i] === '=') [idx, len, op] = [i, 1, '='];
      if (idx >= 0) break;
    }
    if (idx <= 0) throw new ApiError('BadRequest', `invalid selector: '${text}'; can't understand '${term}'`);
    out.push({ field: unescape(term.slice(0, idx)).trim(), op, value: unescape(term.slice(idx + len)).trim() });
  }
  return out;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Per-kind extractors of the extra selectable fields, as the Kubernetes registries define them. */
const EXTRA_FIELDS: Partial<Record<string, (o: KubeObject) => Record<string, string>>> = {
  Pod: (o) => ({
    'spec.nodeName': str(o.spec?.nodeName),
    'spec.restartPolicy': str(o.spec?.restartPolicy),
    'spec.schedulerName': str(o.spec?.schedulerName),
    'spec.serviceAccountName': str(o.spec?.serviceAccountName),
    'spec.hostNetwork': String(Boolean(o.spec?.hostNetwork)),
    'status.phase': str(o.status?.phase),
    'status.podIP': str(o.status?.podIP),
    'status.nominatedNodeName': str(o.status?.nominatedNodeName),
  }),
  Event: (o) => ({
    'involvedObject.kind': str(o.involvedObject?.kind),
    'involvedObject.namespace': str(o.involvedObject?.namespace),
    'involvedObject.name': str(o.involvedObject?.name),
    'involvedObject.uid': str(o.involvedObject?.uid),
    'involvedObject.apiVersion': str(o.involvedObject?.apiVersion),
    'involvedObject.resourceVersion': str(o.involvedObject?.resourceVersion),
    'involvedObject.fieldPath': str(o.involvedObject?.fieldPath),
    reason: str(o.reason),
    reportingComponent: str(o.reportingComponent),
    source: str(o.source?.component ?? o.reportingComponent),
    type: str(o.type),
  }),
  Secret: (o) => ({ type: str(o.type) }),
  Node: (o) => ({ 'spec.unschedulable': String(Boolean(o.spec?.unschedulable)) }),
  Namespace: (o) => ({ 'status.phase': str(o.status?.phase) }),
  ReplicaSet: (o) => ({ 'status.replicas': str(o.status?.replicas ?? 0) }),
  Job: (o) => ({ 'status.successful': str(o.status?.succeeded ?? 0) }),
  Service: (o) => ({ 'spec.clusterIP': str(o.spec?.clusterIP), 'spec.type': str(o.spec?.type) }),
};

const EMPTY_OBJ: KubeObject = { metadata: {} };

/** Throws ApiError BadRequest naming a field the kind does not support for selection. */
export function checkFieldSelectorSupported(kind: string, sel: FieldSelector): void {
  const extra = EXTRA_FIELDS[kind];
  const known = new Set(['metadata.name', 'metadata.namespace', ...Object.keys(extra ? extra(EMPTY_OBJ) : {})]);
  for (const r of sel) {
    if (known.has(r.field)) continue;
    // Kinds with their own conversion func say it this way; the rest use the metav1 default.
    if (extra) throw new ApiError('BadRequest', `field label not supported: ${r.field}`);
    throw new ApiError(
      'BadRequest',
      `${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}

/** The selectable fields of an object of that kind (metadata.name, metadata.namespace, plus per kind: spec.nodeName, status.phase, involvedObject.*, type, spec.schedulerName, ...). */
export function objectFields(kind: string, obj: KubeObject): Record<string, string> {
  const base = { 'metadata.name': str(obj.metadata?.name), 'metadata.namespace': str(obj.metadata?.namespace) };
  const extra = EXTRA_FIELDS[kind];
  return extra ? { ...base, ...extra(obj) } : base;
}

export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.every((r) => {
    const v = fields[r.field] ?? '';
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
