// The pod-template-hash label as Kubernetes forms it: FNV-32a over the pod template (plus the
// Deployment's collisionCount), printed as a decimal and spelled in the "safe" alphabet of
// rand.SafeEncodeString. Kubernetes hashes a go-spew dump of the Go struct; we hash a canonical
// JSON of the same (defaulted) template, so values differ from a real cluster but the format,
// stability and collision handling match.
import type { KubeObject } from '../../api/types.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length];
  return out;
}

/**
 * Drop what Kubernetes' semantic equality ignores (null, empty maps/lists) and sort keys, so a template
 * sent back by `kubectl rollout undo` ("creationTimestamp": null) compares equal to the stored one.
 */
export function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normalize).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

function withoutHash(template: KubeObject['spec']): unknown {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[POD_TEMPLATE_HASH];
  return normalize(t);
}

export function computeHash(template: KubeObject['spec'], collisionCount?: number): string {
  let text = JSON.stringify(withoutHash(template) ?? {});
  if (collisionCount) text += `#${collisionCount}`;
  return safeEncode(String(fnv32a(text)));
}

/** deploymentutil.EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: KubeObject['spec'], b: KubeObject['spec']): boolean {
  return JSON.stringify(withoutHash(a) ?? {}) === JSON.stringify(withoutHash(b) ?? {});
}
