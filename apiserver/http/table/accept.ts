// Accept-header negotiation for server-side tables. kubectl get sends
//   application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json
// and the apiserver answers the first entry it can serve.

export type TableVersion = 'v1' | 'v1beta1';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [type, ...rest] = part.split(';').map((s) => s.trim());
    if (!type) continue;
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    }
    out.push({ type: type.toLowerCase(), params });
  }
  return out;
}

const JSONISH = new Set(['application/json', 'application/*', '*/*']);

/**
 * The Table version the Accept header asks for, or undefined when it does not ask for a Table
 * we can serve. Entries are tried in order; q=0 entries are refused, as HTTP says.
 */
export function tableAcceptVersion(accept: string | undefined): TableVersion | undefined {
  if (!accept) return undefined;
  for (const m of parseAccept(accept)) {
    if (m.params.q !== undefined && Number(m.params.q) === 0) continue;
    if (!JSONISH.has(m.type)) continue;
    // An entry without as= is a plain object answer: the client prefers that over a later Table.
    if (!m.params.as) return undefined;
    if (m.params.as !== 'Table' || m.params.g !== 'meta.k8s.io') continue;
    if (m.params.v === 'v1' || m.params.v === 'v1beta1') return m.params.v;
  }
  return undefined;
}

/** True when the Accept header asks for a meta.k8s.io v1 or v1beta1 Table. */
export function parseTableAccept(accept: string | undefined): boolean {
  return tableAcceptVersion(accept) !== undefined;
}
