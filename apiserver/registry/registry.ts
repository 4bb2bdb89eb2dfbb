// Generic CRUD for every resource over the revisioned store. One code path for all kinds; what
// differs per kind lives in api/ (defaults, validation) and in hooks (allocators, namespaces).
import { storageKey, type ResourceInfo } from '../../api/resources.js';
import { applyDefaults, validateCreate, validateUpdate } from '../../api/validate.js';
import { nowRfc3339, type KubeList, type KubeObject, type WatchEvent } from '../../api/types.js';
import { alreadyExists, ApiError, conflict, invalid, isConflict, notFound } from '../../lib/errors.js';
import { isConflictResult, type KV, type Store } from '../store/store.js';
import type { WatchHub } from '../store/watch-hub.js';
import { decodeObject, deepCopy, encodeObject } from './codec.js';
import type { RegistryHooks } from './hooks.js';
import { makePredicate } from './list-filter.js';
import { checkMetaUpdate, isNoop, prepareForCreate, prepareForUpdate } from './prepare.js';
import { recordManagedFields } from './managed-fields.js';
import type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  Registry,
  WatchHandle,
  WatchOptions,
  WatchSink,
  WriteOptions,
} from './types.js';

const LIST_PAGE = 500;
/** a list decodes this many objects, then lets other requests run (a 1k-pod list is ~15 ms of parsing) */
const DECODE_SLICE = 200;
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export class StoreRegistry implements Registry {
  constructor(
    private readonly store: Store,
    private readonly hub: WatchHub,
    private readonly hooks: RegistryHooks,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(ri: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.store.get(storageKey(ri, namespace, name));
    if (!kv) throw notFound(ri.plural, name, ri.group);
    return decodeObject(ri, kv);
  }

  async list(ri: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): Promise<KubeList> {
    const pred = makePredicate(ri, opts.labelSelector, opts.fieldSelector);
    const prefix = storageKey(ri, namespace);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let afterKey = opts.continue ? decodeContinue(opts.continue, prefix) : undefined;
    const items: KubeObject[] = [];
    let revision = 0;
    let more = false;
    let remaining: number | undefined;
    let lastKey: string | undefined;
    // Read pages until the page limit is filled with matching objects (selectors filter after read).
    for (;;) {
      const page = await this.store.list(prefix, { limit: limit ? Math.max(limit - items.length, pred.everything ? 1 : LIST_PAGE) : 0, afterKey });
      revision ||= page.revision;
      let decoded = 0;
      for (const kv of page.items) {
        if (++decoded % DECODE_SLICE === 0) await yieldToLoop();
        lastKey = kv.key;
        const obj = decodeObject(ri, kv);
        if (pred(obj)) items.push(obj);
        if (limit && items.length >= limit) break;
      }
      const stoppedEarly = lastKey !== undefined && page.items.length > 0 && lastKey !== page.items[page.items.length - 1].key;
      more = stoppedEarly || page.more;
      if (pred.everything && !stoppedEarly) remaining = page.remaining;
      if (!limit || items.length >= limit || !page.more) break;
      afterKey = lastKey;
    }
    const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
    if (limit && more && lastKey) {
      metadata.continue = encodeContinue(lastKey, revision);
      if (remaining !== undefined && pred.everything) metadata.remainingItemCount = remaining;
    }
    return { apiVersion: ri.group ? `${ri.group}/${ri.version}` : ri.version, kind: ri.listKind, metadata, items };
  }

  async create(ri: ResourceInfo, namespace: string | undefined, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    if (opts.subresource) return this.hooks.createSubresource(this, ri, namespace, input, opts);
    const obj = deepCopy(input);
    obj.metadata ??= {};
    if (ri.namespaced && obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace)
      throw new ApiError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    const now = this.now();
    prepareForCreate(ri, obj, namespace, now);
    applyDefaults(ri, obj);
    const causes = validateCreate(ri, obj);
    if (causes.length) throw invalid(ri.kind, obj.metadata.name ?? '', causes, ri.group);
    await this.hooks.beforeCreate(this, ri, obj, opts);
    recordManagedFields(ri, undefined, obj, opts, now);
    if (opts.dryRun) {
      this.hooks.abortCreate(ri, obj);
      return obj;
    }
    try {
      const kv = await this.store.create(storageKey(ri, obj.metadata.namespace, obj.metadata.name), encodeObject(obj));
      return decodeObject(ri, kv);
    } catch (e) {
      this.hooks.abortCreate(ri, obj);
      if (e instanceof ApiError && e.reason === 'AlreadyExists') throw alreadyExists(ri.plural, obj.metadata.name!, ri.group);
      throw e;
    }
  }

  async update(ri: ResourceInfo, namespace: string | undefined, name: string, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const key = storageKey(ri, namespace, name);
    const kv = await this.store.get(key);
    if (!kv) throw notFound(ri.plural, name, ri.group);
    const old = decodeObject(ri, kv);
    const want = input.metadata?.resourceVersion;
    if (want && want !== old.metadata.resourceVersion) throw conflict(ri.plural, name, ri.group);
    if (input.metadata?.name && input.metadata.name !== name)
      throw new ApiError('BadRequest', `the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    return this.write(ri, key, kv, old, deepCopy(input), opts);
  }

  async guaranteedUpdate(
    ri: ResourceInfo,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions & { allowCreate?: boolean },
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = storageKey(ri, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) {
        if (!opts.allowCreate) throw notFound(ri.plural, name, ri.group);
        const desired = await mutate(undefined);
        desired.metadata = { ...desired.metadata, name, namespace: ri.namespaced ? namespace : undefined };
        try {
          return { object: await this.create(ri, namespace, desired, { ...opts, subresource: undefined }), created: true };
        } catch (e) {
          if (e instanceof ApiError && e.reason === 'AlreadyExists' && attempt < 5) continue;
          throw e;
        }
      }
      const old = decodeObject(ri, kv);
      const desired = await mutate(deepCopy(old));
      const rv = desired.metadata?.resourceVersion;
      if (rv && rv !== old.metadata.resourceVersion) throw conflict(ri.plural, name, ri.group);
      try {
        return { object: await this.write(ri, key, kv, old, desired, opts), created: false };
      } catch (e) {
        if (isConflict(e) && !rv && attempt < 10) continue;
        throw e;
      }
    }
  }

  /** Steps: 1 restrict to main/status, 2 default + validate, 3 hooks, 4 managedFields, 5 CAS write. */
  private async write(ri: ResourceInfo, key: string, kv: KV, old: KubeObject, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    input.metadata ??= {};
    checkMetaUpdate(ri, input, old);
    const now = this.now();
    const next = prepareForUpdate(ri, input, old, opts.subresource);
    applyDefaults(ri, next);
    const causes = validateUpdate(ri, next, old);
    if (causes.length) throw invalid(ri.kind, old.metadata.name ?? '', causes, ri.group);
    await this.hooks.beforeUpdate(this, ri, next, old, opts);
    recordManagedFields(ri, old, next, opts, now);
    if (isNoop(next, old) || opts.dryRun) return opts.dryRun ? next : old;
    // An object being deleted goes away once its last finalizer is removed.
    if (next.metadata.deletionTimestamp && this.hooks.finalized(ri, next)) {
      const res = await this.store.delete(key, kv.modRevision);
      if (!res) throw notFound(ri.plural, old.metadata.name!, ri.group);
      if (isConflictResult(res)) throw conflict(ri.plural, old.metadata.name!, ri.group);
      this.hooks.afterDelete(ri, next);
      return decodeObject(ri, { value: encodeObject(next), modRevision: res.revision });
    }
    const res = await this.store.update(key, encodeObject(next), kv.modRevision);
    if (!res) throw notFound(ri.plural, old.metadata.name!, ri.group);
    if (isConflictResult(res)) throw conflict(ri.plural, old.metadata.name!, ri.group);
    return decodeObject(ri, res);
  }

  async delete(ri: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions & WriteOptions): Promise<DeleteResult> {
    const key = storageKey(ri, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(ri.plural, name, ri.group);
      const obj = decodeObject(ri, kv);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid)
        throw new ApiError('Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion)
        throw new ApiError('Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
      // 1: decide between marking (graceful / finalizers) and removing now.
      const plan = this.hooks.planDelete(ri, obj, opts, this.now());
      if (opts.dryRun) return { object: plan.object ?? obj, deleted: !plan.object };
      if (plan.object) {
        const res = await this.store.update(key, encodeObject(plan.object), kv.modRevision);
        if (isConflictResult(res) && attempt < 10) continue;
        if (!res || isConflictResult(res)) throw conflict(ri.plural, name, ri.group);
        return { object: decodeObject(ri, res), deleted: false };
      }
      const res = await this.store.delete(key, kv.modRevision);
      if (isConflictResult(res) && attempt < 10) continue;
      if (!res) throw notFound(ri.plural, name, ri.group);
      if (isConflictResult(res)) throw conflict(ri.plural, name, ri.group);
      this.hooks.afterDelete(ri, obj);
      return { object: decodeObject(ri, res.deleted, res.revision), deleted: true };
    }
  }

  async watch(ri: ResourceInfo, namespace: string | undefined, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    const pred = makePredicate(ri, opts.labelSelector, opts.fieldSelector);
    const prefix = storageKey(ri, namespace);
    let from: number;
    const rv = opts.resourceVersion;
    const initial = !rv || rv === '0' || opts.sendInitialEvents === true;
    if (initial) {
      // Synthetic ADDED for the current state, then live from the revision of that read.
      const page = await this.store.list(prefix, {});
      from = page.revision;
      if (rv && rv !== '0' && opts.sendInitialEvents) from = Math.max(from, Number(rv));
      for (const kv of page.items) {
        const obj = decodeObject(ri, kv);
        if (pred(obj)) sink({ type: 'ADDED', object: obj });
      }
      if (opts.sendInitialEvents && opts.allowWatchBookmarks)
        sink(bookmark(ri, from, { 'k8s.io/initial-events-end': 'true' }));
    } else {
      from = Number(rv);
      if (!Number.isSafeInteger(from) || from < 0) throw new ApiError('BadRequest', `invalid resource version: ${rv}`);
    }
    const sub = this.hub.subscribe(prefix, from, (ev) => {
      const cur = decodeObject(ri, ev.kv, ev.revision);
      // the previous value only matters for selector transitions: skip decoding it when unneeded
      const was = ev.type === 'delete' || !ev.prev ? false : pred.everything || pred(decodeObject(ri, ev.prev));
      let out: WatchEvent | undefined;
      if (ev.type === 'delete') {
        if (pred(cur)) out = { type: 'DELETED', object: cur };
      } else {
        const now = pred(cur);
        if (now && was) out = { type: 'MODIFIED', object: cur };
        else if (now) out = { type: 'ADDED', object: cur };
        else if (was) out = { type: 'DELETED', object: cur };
      }
      if (out) sink(out);
    });
    return { stop: () => sub.cancel() };
  }

  /** The newest revision, for watch bookmarks. */
  currentRevision(): number {
    return this.hub.currentRevision();
  }
}

export function bookmark(ri: ResourceInfo, revision: number, annotations?: Record<string, string>): WatchEvent {
  return {
    type: 'BOOKMARK',
    object: {
      apiVersion: ri.group ? `${ri.group}/${ri.version}` : ri.version,
      kind: ri.kind,
      metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) },
    },
  };
}

function encodeContinue(key: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: key })).toString('base64url');
}

function decodeContinue(token: string, prefix: string): string {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: string };
    if (typeof t.start === 'string' && t.start.startsWith(prefix)) return t.start;
  } catch {
    /* fall through */
  }
  throw new ApiError('BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export const timestamp = (d: Date): string => nowRfc3339(d);
