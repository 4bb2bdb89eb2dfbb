// Field paths in structured-merge-diff's vocabulary. A path is a list of elements:
// `f:name` (struct/map field), `k:{"name":"web"}` (keyed list item), `v:"x"` (set item), `i:0` (index).
// A FieldSet holds encoded paths; an intermediate node is only "owned" when its own path is in the set.

export type FieldSet = Set<string>;

const SEP = '\n';

export const encodePath = (elements: readonly string[]): string => elements.join(SEP);
export const decodePath = (encoded: string): string[] => (encoded === '' ? [] : encoded.split(SEP));

export const fieldElement = (name: string): string => `f:${name}`;
export const keyElement = (key: Record<string, unknown>): string => `k:${JSON.stringify(key)}`;
export const valueElement = (v: unknown): string => `v:${JSON.stringify(v)}`;

/** True when `path` is `ancestor` or lies below it. */
export function isAtOrBelow(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + SEP);
}

/** Removes every path at or below any of `roots`. */
export function removeSubtrees(set: FieldSet, roots: Iterable<string>): void {
  const list = [...roots];
  if (list.length === 0) return;
  for (const p of [...set]) if (list.some((r) => isAtOrBelow(p, r))) set.delete(p);
}

/** True when some path in `set` is at or below `path`. */
export function ownsAtOrBelow(set: FieldSet, path: string): boolean {
  for (const p of set) if (isAtOrBelow(p, path)) return true;
  return false;
}

/** `.spec.template.spec.containers[name="web"].image`, the way Kubernetes prints conflict paths. */
export function formatPath(encoded: string): string {
  return decodePath(encoded)
    .map((el) => {
      const body = el.slice(2);
      switch (el[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
