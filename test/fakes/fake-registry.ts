// In-memory Registry for unit tests: records every call in `calls`, supports watch (initial ADDED,
// field/label equality selectors, objects leaving a selector become DELETED), the pods/binding and
// namespaces/finalize subresources, graceful pod deletion and finalizers. injectError() makes the
// next matching call throw.
import type { ResourceInfo } from '../../api/resources.js';
import { nowRfc3339, type KubeList, type KubeObject, type WatchEvent } from '../../api/types.js';
import { ApiError, alreadyExists, conflict, notFound } from '../../lib/errors.js';
import type {
  DeleteOptions, DeleteResult, ListOptions, Registry, WatchHandle, WatchOptions, WatchSink, WriteOptions,
} from '../../apiserver/registry/types.js';

type Pred = (o: KubeObject) => boolean;

interface Watcher {
  ri: ResourceInfo;
  namespace?: string;
  pred: Pred;
  sink: WatchSink;
}

const clone = <T>(o: T): T => structuredClone(o);

function getPath(obj: unknown, path: string): string {
  let cur: any = obj;
  for (const part of path.split('.')) cur = cur?.[part];
  return cur === undefined || cur === null ? '' : String(cur);
}

/** `a=b,c!=d` over dotted paths (metadata.name, spec.nodeName, ...). */
function fieldPred(sel: string | undefined): Pred {
  if (!sel) return () => true;
  const reqs = sel.split(',').map((r) => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(r);
    if (!m) throw new ApiError('BadRequest', `bad field selector ${r}`);
    return { path: m[1], neg: m[2] === '!=', value: m[3] };
  });
  return (o) => reqs.every((r) => (getPath(o, r.path) === r.value) !== r.neg);
}

/** `a=b,c!=d` equality label selectors only. */
function labelPred(sel: string | undefined): Pred {
  if (!sel) return () => true;
  const reqs = sel.split(',').map((r) => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(r)!;
    return { key: m[1], neg: m[2] === '!=', value: m[3] };
  });
  return (o) => reqs.every((r) => ((o.metadata.labels ?? {})[r.key] === r.value) !== r.neg);
}

export class FakeRegistry implements Registry {
  readonly calls: string[] = [];
  readonly objects = new Map<string, KubeObject>();
  private rv = 100;
  private uid = 0;
  private watchers = new Set<Watcher>();
  private errors: { match: string; error: Error; times: number }[] = [];

  /** Make calls whose `calls` line starts with `match` throw `error` (the next `times` ones). */
  injectError(match: string, error: Error, times = 1): void {
    this.errors.push({ match, error, times });
  }

  /** Store an object directly (no call recorded), emitting ADDED/MODIFIED. */
  seed(ri: ResourceInfo, obj: KubeObject): KubeObject {
    const o = this.stamp(ri, clone(obj), obj.metadata.namespace);
    const key = this.key(ri, o.metadata.namespace, o.metadata.name!);
    const prev = this.objects.get(key);
    this.objects.set(key, o);
    this.emit(ri, prev, o);
    return clone(o);
  }

  peek(ri: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(this.key(ri, namespace, name));
    return o && clone(o);
  }

  all(ri: ResourceInfo, namespace?: string): KubeObject[] {
    const prefix = ri.namespaced && namespace === undefined ? `${ri.group}/${ri.plural}/` : this.key(ri, namespace, '');
    return [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, o]) => clone(o));
  }

  async get(ri: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    this.record(`get ${ri.plural} ${this.id(namespace, name)}`);
    const o = this.objects.get(this.key(ri, namespace, name));
    if (!o) throw notFound(ri.plural, name, ri.group);
    return clone(o);
  }

  async list(ri: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): Promise<KubeList> {
    this.record(`list ${ri.plural} ${namespace ?? ''}`.trimEnd());
    const fp = fieldPred(opts.fieldSelector);
    const lp = labelPred(opts.labelSelector);
    const items = this.all(ri, namespace).filter((o) => fp(o) && lp(o));
    return { apiVersion: ri.group ? `${ri.group}/${ri.version}` : ri.version, kind: ri.listKind, metadata: { resourceVersion: String(this.rv) }, items };
  }

  async create(ri: ResourceInfo, namespace: string | undefined, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const sub = opts.subresource ? ` ${opts.subresource}` : '';
    this.record(`create ${ri.plural} ${this.id(namespace, obj.metadata.name ?? obj.metadata.generateName ?? '')}${sub}`);
    if (ri.kind === 'Pod' && opts.subresource === 'binding') return this.bind(ri, namespace!, obj);
    const o = clone(obj);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + (++this.uid).toString(36).padStart(5, 'x');
    const key = this.key(ri, namespace, o.metadata.name!);
    if (this.objects.has(key)) throw alreadyExists(ri.plural, o.metadata.name!, ri.group);
    const stored = this.stamp(ri, o, namespace);
    this.objects.set(key, stored);
    this.emit(ri, undefined, stored);
    return clone(stored);
  }

  async update(ri: ResourceInfo, namespace: string | undefined, name: string, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    this.record(`update ${ri.plural} ${this.id(namespace, name)}${opts.subresource ? ` ${opts.subresource}` : ''}`);
    return this.write(ri, namespace, name, obj, opts);
  }

  async guaranteedUpdate(
    ri: ResourceInfo,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions & { allowCreate?: boolean },
  ): Promise<{ object: KubeObject; created: boolean }> {
    this.record(`guaranteedUpdate ${ri.plural} ${this.id(namespace, name)}${opts.subresource ? ` ${opts.subresource}` : ''}`);
    const cur = this.objects.get(this.key(ri, namespace, name));
    if (!cur && !opts.allowCreate) throw notFound(ri.plural, name, ri.group);
    const next = await mutate(cur && clone(cur));
    if (!cur) {
      const stored = this.stamp(ri, clone(next), namespace);
      this.objects.set(this.key(ri, namespace, name), stored);
      this.emit(ri, undefined, stored);
      return { object: clone(stored), created: true };
    }
    next.metadata.resourceVersion = cur.metadata.resourceVersion;
    return { object: this.write(ri, namespace, name, next, opts), created: false };
  }

  async delete(ri: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions & WriteOptions): Promise<DeleteResult> {
    const grace = opts.gracePeriodSeconds !== undefined ? ` grace=${opts.gracePeriodSeconds}` : '';
    this.record(`delete ${ri.plural} ${this.id(namespace, name)}${grace}`);
    const key = this.key(ri, namespace, name);
    const cur = this.objects.get(key);
    if (!cur) throw notFound(ri.plural, name, ri.group);
    // Bound pods wait for their node's agent unless the grace period is 0; finalizers hold anything.
    const graceful = ri.kind === 'Pod' && !!cur.spec?.nodeName && opts.gracePeriodSeconds !== 0;
    const held = !!cur.metadata.finalizers?.length || (ri.kind === 'Namespace' && !!cur.spec?.finalizers?.length);
    if (graceful || held) {
      if (cur.metadata.deletionTimestamp) return { object: clone(cur), deleted: false };
      const next = clone(cur);
      next.metadata.deletionTimestamp = nowRfc3339();
      if (ri.kind === 'Namespace') next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      next.metadata.resourceVersion = String(++this.rv);
      this.objects.set(key, next);
      this.emit(ri, cur, next);
      return { object: clone(next), deleted: false };
    }
    this.remove(ri, key, cur);
    return { object: clone(cur), deleted: true };
  }

  async watch(ri: ResourceInfo, namespace: string | undefined, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    this.record(`watch ${ri.plural}${opts.fieldSelector ? ` ${opts.fieldSelector}` : ''}`);
    const fp = fieldPred(opts.fieldSelector);
    const lp = labelPred(opts.labelSelector);
    const w: Watcher = { ri, namespace, pred: (o) => fp(o) && lp(o), sink };
    if (!opts.resourceVersion || opts.resourceVersion === '0') {
      for (const o of this.all(ri, namespace)) if (w.pred(o)) sink({ type: 'ADDED', object: o });
    }
    this.watchers.add(w);
    return { stop: () => void this.watchers.delete(w) };
  }

  /** How many watches are open (to check that stop() cleans up). */
  openWatches(): number {
    return this.watchers.size;
  }

  private bind(ri: ResourceInfo, namespace: string, binding: KubeObject): KubeObject {
    const key = this.key(ri, namespace, binding.metadata.name!);
    const cur = this.objects.get(key);
    if (!cur) throw notFound(ri.plural, binding.metadata.name!, ri.group);
    if (cur.spec?.nodeName) throw new ApiError('Conflict', `pod ${binding.metadata.name} is already assigned to node "${cur.spec.nodeName}"`);
    const next = clone(cur);
    next.spec.nodeName = binding.target.name;
    const conds = (next.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
    next.status = { ...(next.status ?? {}), conditions: [...conds, { type: 'PodScheduled', status: 'True' }] };
    next.metadata.resourceVersion = String(++this.rv);
    this.objects.set(key, next);
    this.emit(ri, cur, next);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as KubeObject;
  }

  private write(ri: ResourceInfo, namespace: string | undefined, name: string, obj: KubeObject, opts: WriteOptions): KubeObject {
    const key = this.key(ri, namespace, name);
    const cur = this.objects.get(key);
    if (!cur) throw notFound(ri.plural, name, ri.group);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== cur.metadata.resourceVersion) throw conflict(ri.plural, name, ri.group);
    let next: KubeObject;
    if (opts.subresource === 'status') next = { ...clone(cur), status: clone(obj.status) };
    else if (opts.subresource === 'finalize') next = { ...clone(cur), spec: { ...(cur.spec ?? {}), finalizers: clone(obj.spec?.finalizers ?? []) } };
    else next = { ...clone(obj), status: clone(cur.status), metadata: { ...clone(obj.metadata), uid: cur.metadata.uid, deletionTimestamp: cur.metadata.deletionTimestamp } };
    if (next.status === undefined) delete next.status;
    if (next.metadata.deletionTimestamp === undefined) delete next.metadata.deletionTimestamp;
    next.metadata.resourceVersion = String(++this.rv);
    const finalized = !next.metadata.finalizers?.length && !(ri.kind === 'Namespace' && next.spec?.finalizers?.length);
    if (next.metadata.deletionTimestamp && finalized) {
      this.remove(ri, key, next);
      return clone(next);
    }
    this.objects.set(key, next);
    this.emit(ri, cur, next);
    return clone(next);
  }

  private remove(ri: ResourceInfo, key: string, last: KubeObject): void {
    this.objects.delete(key);
    for (const w of this.watchers) if (this.scoped(w, ri, last) && w.pred(last)) w.sink({ type: 'DELETED', object: clone(last) });
  }

  private emit(ri: ResourceInfo, prev: KubeObject | undefined, cur: KubeObject): void {
    for (const w of this.watchers) {
      if (!this.scoped(w, ri, cur)) continue;
      const was = prev ? w.pred(prev) : false;
      const now = w.pred(cur);
      let ev: WatchEvent | undefined;
      if (now) ev = { type: was ? 'MODIFIED' : 'ADDED', object: clone(cur) };
      else if (was) ev = { type: 'DELETED', object: clone(cur) };
      if (ev) w.sink(ev);
    }
  }

  private scoped(w: Watcher, ri: ResourceInfo, o: KubeObject): boolean {
    return w.ri.plural === ri.plural && w.ri.group === ri.group && (w.namespace === undefined || w.namespace === o.metadata.namespace);
  }

  private stamp(ri: ResourceInfo, o: KubeObject, namespace: string | undefined): KubeObject {
    o.apiVersion ??= ri.group ? `${ri.group}/${ri.version}` : ri.version;
    o.kind ??= ri.kind;
    if (ri.namespaced) o.metadata.namespace = namespace ?? o.metadata.namespace;
    else delete o.metadata.namespace;
    o.metadata.uid ??= `uid-${++this.uid}`;
    o.metadata.creationTimestamp ??= nowRfc3339();
    o.metadata.resourceVersion = String(++this.rv);
    return o;
  }

  private key(ri: ResourceInfo, namespace: string | undefined, name: string): string {
    return `${ri.group}/${ri.plural}/${ri.namespaced ? `${namespace ?? ''}/` : ''}${name}`;
  }

  private id(namespace: string | undefined, name: string): string {
    return namespace ? `${namespace}/${name}` : name;
  }

  private record(line: string): void {
    this.calls.push(line);
    const hit = this.errors.find((e) => e.times > 0 && line.startsWith(e.match));
    if (hit) {
      hit.times--;
      throw hit.error;
    }
  }
}
