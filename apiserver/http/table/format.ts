// Formatting helpers shared by the printers. They replicate the Go helpers kubectl users see
// (apimachinery duration.HumanDuration, labels.FormatLabels, metav1.FormatLabelSelector...) so a
// Table from kinglet reads exactly like one from a real 1.32 apiserver.

import type { KubeObject } from '../../../api/types.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A cell is what the Go printers append: strings, int64 numbers or booleans. */
export type Cell = string | number | boolean;

export interface Printer {
  columns: ColumnDefinition[];
  /** Cells for every column (wide ones included): kubectl hides priority>0 columns itself. */
  cells(obj: KubeObject, now: Date): Cell[];
  /** Row conditions (pods report Completed for Succeeded/Failed). */
  conditions?(obj: KubeObject): unknown[] | undefined;
}

export const NAME_DESC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const AGE_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function col(name: string, type = 'string', description = '', priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}
export const nameCol = (): ColumnDefinition => col('Name', 'string', NAME_DESC, 0, 'name');
export const ageCol = (): ColumnDefinition => col('Age', 'string', AGE_DESC);
export const wide = (name: string, description = '', type = 'string'): ColumnDefinition => col(name, type, description, 1);
export const CONTAINERS_DESC = 'Names of each container in the template.';
export const IMAGES_DESC = 'Images referenced by each container in the template.';

/** Go's int(d / unit) truncates toward zero; Math.trunc keeps that for negatives too. */
const div = (a: number, b: number): number => Math.trunc(a / b);

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration, for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = div(ms, 1000);
  // Up to 2s in the future is tolerated as clock skew ("almost now").
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = div(ms, 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = div(ms, 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${div(hours, 24)}d` : `${div(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${div(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = div(hours, 24) % 365;
    const y = div(hours, 24 * 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${div(hours, 24 * 365)}y`;
}

function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  // Go's zero time (0001-01-01) counts as "no timestamp" too.
  if (Number.isNaN(t) || t <= Date.parse('0001-01-02T00:00:00Z')) return undefined;
  return t;
}

/** translateTimestampSince: "<unknown>" for a missing timestamp, else HumanDuration(now - ts). */
export function since(ts: unknown, now: Date): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}

/** Milliseconds of a timestamp, or undefined; exported for printers comparing dates. */
export const timeOf = parseTime;

export const age = (obj: KubeObject, now: Date): string => since(obj.metadata?.creationTimestamp, now);
export const nameOf = (obj: KubeObject): string => obj.metadata?.name ?? '';

/** labels.FormatLabels: sorted k=v joined by ",", "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, set values sorted.
 * Returns undefined when the selector is invalid (the Go code then prints "<error>"/"<invalid>").
 */
export function selectorString(sel: LabelSelector | undefined | null): string | undefined {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, text: `${e.key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, text: `${e.key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        return undefined;
    }
  }
  // Go sorts requirements with a stable sort by key only.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: like selectorString but "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, comma-joined. */
export function containerCells(containers: { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** listWithMoreString: at most `max` items then " + N more...", "<unset>" when empty. */
export function listWithMore(items: string[], max = 3, empty = '<unset>'): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

/** net.JoinHostPort: IPv6 hosts get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The int64 cells Go appends; tolerate missing or string numbers in stored objects. */
export function int(v: unknown, dflt = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return dflt;
}

/** printBool: "True"/"False" as kubectl prints booleans held in string cells. */
export const printBool = (v: unknown): string => (v === true ? 'True' : 'False');
