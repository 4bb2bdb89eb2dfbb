// One OpenAPI v3 document per group-version: its paths and the schemas they reach.
import { RESOURCES } from '../../../api/resources.js';
import { REF_PREFIX, type Schema } from './dsl.js';
import { allSchemas, kindSchemaName, listSchemaName } from './kinds.js';
import { resourcePaths } from './paths.js';

/** Names of every schema reachable through $ref from the roots. */
function reachable(roots: unknown[], schemas: Record<string, Schema>): Set<string> {
  const seen = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(REF_PREFIX)) {
        const name = x.slice(REF_PREFIX.length);
        if (!seen.has(name) && schemas[name]) {
          seen.add(name);
          walk(schemas[name]);
        }
      } else walk(x);
    }
  };
  roots.forEach(walk);
  return seen;
}

/** The document for a group ('' for core) and version, or undefined when nothing is served there. */
export function buildDocument(group: string, version: string): Schema | undefined {
  const served = RESOURCES.filter((ri) => ri.group === group && ri.version === version);
  if (served.length === 0) return undefined;
  const paths: Record<string, Schema> = {};
  for (const ri of served) Object.assign(paths, resourcePaths(ri));
  const all = allSchemas();
  const kinds = served.flatMap((ri) => [kindSchemaName(ri), listSchemaName(ri)]);
  const names = reachable([paths, ...kinds.map((k) => ({ $ref: REF_PREFIX + k }))], all);
  const schemas = Object.fromEntries([...names].sort().map((n) => [n, all[n]]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}
