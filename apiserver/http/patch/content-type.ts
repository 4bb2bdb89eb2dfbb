// The four PATCH media types the apiserver accepts; anything else is a 415 at the HTTP layer.

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const byMediaType: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  // Newer kubectl/client-go may advertise the CBOR flavour; we only ever receive JSON bodies here.
  'application/apply-patch+cbor': 'apply',
};

/** Maps a Content-Type header to a patch type, ignoring parameters such as `; charset=utf-8`. */
export function patchTypeFromContentType(ct: string | undefined): PatchType | undefined {
  if (!ct) return undefined;
  const mediaType = ct.split(';')[0]!.trim().toLowerCase();
  return byMediaType[mediaType];
}
