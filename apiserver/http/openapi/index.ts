// OpenAPI v3 as the apiserver serves it: GET /openapi/v3 (the index) and /openapi/v3/<gvPath>.
// Documents are pure functions of the RESOURCES table, so they are built once and cached; the hash
// in each serverRelativeURL changes whenever a document does (kubectl caches by it).
import { createHash } from 'node:crypto';
import { groupVersions } from '../../../api/resources.js';
import { buildDocument } from './document.js';

interface Built {
  doc: object;
  hash: string;
}

let built: Map<string, Built> | undefined;

/** 'api/v1' for core, 'apis/<group>/<version>' otherwise. */
export const gvPathOf = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

function documents(): Map<string, Built> {
  if (!built) {
    built = new Map();
    for (const { group, version } of groupVersions()) {
      const doc = buildDocument(group, version);
      if (!doc) continue;
      const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
      built.set(gvPathOf(group, version), { doc, hash });
    }
  }
  return built;
}

/** The /openapi/v3 index: every served group-version with a hash-stamped URL. */
export function openapiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [gvPath, { hash }] of documents()) paths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${hash}` };
  return { paths };
}

/** The document of one group-version ('api/v1', 'apis/apps/v1'), or undefined for unknown paths. */
export function openapiV3Document(gvPath: string): object | undefined {
  return documents().get(gvPath.replace(/^\/+|\/+$/g, ''))?.doc;
}

/** The current hash of a document, for ETag headers. */
export function openapiV3Hash(gvPath: string): string | undefined {
  return documents().get(gvPath.replace(/^\/+|\/+$/g, ''))?.hash;
}
