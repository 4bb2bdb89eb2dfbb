// A container's environment resolved as the kubelet does (makeEnvironmentVariables): service links,
// then envFrom, then env — later definitions win, `$(VAR)` sees only what is already defined.
import type { KubeObject } from '../../api/types.js';
import type { ObjectLookup } from '../podworker/deps.js';
import { EnvError } from './errors.js';
import { expand, mappingFor } from './expand.js';
import { containerResourceValue, podFieldValue, type Allocatable, type FieldContext } from './field-ref.js';
import { serviceEnv } from './service-env.js';

export interface EnvContext extends FieldContext {
  lookup: ObjectLookup;
  allocatable: Allocatable;
}

export interface ResolvedEnv {
  /** ordered NAME/value pairs */
  vars: [string, string][];
  /** non-fatal problems (kubelet's InvalidEnvironmentVariableNames events) */
  warnings: string[];
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isEnvVarName(k: string): boolean {
  return ENV_NAME.test(k) && k !== '.' && !k.startsWith('..');
}

function decode(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** ConfigMap/Secret data as strings, fetched once per name and per container. */
class Sources {
  private readonly cache = new Map<string, Record<string, string> | null>();
  constructor(
    private readonly ns: string,
    private readonly lookup: ObjectLookup,
  ) {}

  /** undefined = not found */
  get(kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> | undefined {
    const key = `${kind}/${name}`;
    if (!this.cache.has(key)) {
      const obj = kind === 'ConfigMap' ? this.lookup.configMap(this.ns, name) : this.lookup.secret(this.ns, name);
      let data: Record<string, string> | null = null;
      if (obj && kind === 'ConfigMap') data = { ...(obj.data ?? {}) };
      if (obj && kind === 'Secret') {
        data = {};
        for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) data[k] = decode(v);
        // stringData is write-only in Kubernetes but a lookup may still carry it
        Object.assign(data, obj.stringData ?? {});
      }
      this.cache.set(key, data);
    }
    return this.cache.get(key) ?? undefined;
  }

  require(kind: 'ConfigMap' | 'Secret', name: string, optional: boolean): Record<string, string> | undefined {
    const data = this.get(kind, name);
    if (!data && !optional) throw new EnvError(`${kind.toLowerCase()} "${name}" not found`);
    return data;
  }
}

export function resolveEnv(pod: KubeObject, container: KubeObject, ctx: EnvContext): ResolvedEnv {
  const ns = pod.metadata.namespace ?? 'default';
  const sources = new Sources(ns, ctx.lookup);
  const warnings: string[] = [];
  const svcEnv = serviceEnv(pod, ctx.lookup.services(ns), ctx.lookup.services('default'));
  const tmp = new Map<string, string>();

  // 1. envFrom, in order; an invalid key is skipped with a warning
  for (const ef of (container.envFrom ?? []) as KubeObject[]) {
    const ref = ef.configMapRef ?? ef.secretRef;
    if (!ref) continue;
    const kind = ef.configMapRef ? 'ConfigMap' : 'Secret';
    const data = sources.require(kind, ref.name, ref.optional === true);
    if (!data) continue;
    const invalid: string[] = [];
    for (const [k0, v] of Object.entries(data)) {
      const k = (ef.prefix ?? '') + k0;
      if (!isEnvVarName(k)) invalid.push(k);
      else tmp.set(k, v);
    }
    if (invalid.length) {
      warnings.push(
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind === 'ConfigMap' ? 'configMap' : 'secret'} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  // 2. env, in order; values expand against what is defined so far, then service variables
  const mapping = mappingFor(tmp, svcEnv);
  for (const ev of (container.env ?? []) as KubeObject[]) {
    const value = envValue(ev, pod, container, ctx, sources, mapping);
    if (value === undefined) continue;
    tmp.delete(ev.name); // a redefinition moves to its latest position, like a shell export
    tmp.set(ev.name, value);
  }

  // 3. service variables first, except those the container redefined
  const vars: [string, string][] = [];
  for (const [k, v] of svcEnv) if (!tmp.has(k)) vars.push([k, v]);
  for (const [k, v] of tmp) vars.push([k, v]);
  return { vars, warnings };
}

/** undefined = an optional source is missing: the variable is not set at all */
function envValue(ev: KubeObject, pod: KubeObject, container: KubeObject, ctx: EnvContext, sources: Sources, mapping: (n: string) => string): string | undefined {
  if (ev.value !== undefined && ev.value !== '') return expand(String(ev.value), mapping);
  const from = ev.valueFrom;
  if (!from) return '';
  const ns = pod.metadata.namespace ?? 'default';
  try {
    if (from.fieldRef) return podFieldValue(pod, from.fieldRef.fieldPath, ctx);
    if (from.resourceFieldRef) {
      const ref = from.resourceFieldRef;
      const target = ref.containerName ? findContainer(pod, ref.containerName) ?? container : container;
      return containerResourceValue(ref, target, ctx.allocatable);
    }
  } catch (e) {
    throw new EnvError((e as Error).message);
  }
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (!keyRef) return '';
  const kind = from.configMapKeyRef ? 'ConfigMap' : 'Secret';
  const optional = keyRef.optional === true;
  const data = sources.require(kind, keyRef.name, optional);
  if (!data) return undefined;
  const v = data[keyRef.key];
  if (v === undefined) {
    if (optional) return undefined;
    throw new EnvError(`couldn't find key ${keyRef.key} in ${kind} ${ns}/${keyRef.name}`);
  }
  return v;
}

function findContainer(pod: KubeObject, name: string): KubeObject | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: KubeObject) => c.name === name);
}

/** `$(VAR)` expansion of command and args against the container's final environment. */
export function expandCommand(argv: string[] | undefined, vars: [string, string][]): string[] | undefined {
  if (!argv) return undefined;
  const mapping = mappingFor(new Map(vars));
  return argv.map((a) => expand(a, mapping));
}

export function envStrings(vars: [string, string][]): string[] {
  return vars.map(([k, v]) => `${k}=${v}`);
}
