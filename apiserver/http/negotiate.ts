// Which representation the client asked for: a plain object/list, a meta.k8s.io Table (kubectl
// get), or PartialObjectMetadata (metadata-only clients).
export type Representation = { as: 'object' } | { as: 'table'; version: 'v1' | 'v1beta1' } | { as: 'partial'; version: 'v1' | 'v1beta1' };

export function negotiate(accept: string | undefined): Representation {
  for (const clause of (accept ?? '').split(',')) {
    const params = new Map<string, string>();
    const [type, ...rest] = clause.split(';').map((s) => s.trim());
    if (type !== 'application/json' && type !== '*/*') continue;
    for (const p of rest) {
      const [k, v] = p.split('=');
      if (k && v) params.set(k.trim(), v.trim());
    }
    const as = params.get('as');
    const g = params.get('g');
    const v = params.get('v') === 'v1beta1' ? 'v1beta1' : 'v1';
    if (!as) return { as: 'object' };
    if (g !== 'meta.k8s.io') continue;
    if (as === 'Table') return { as: 'table', version: v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'partial', version: v };
  }
  return { as: 'object' };
}
