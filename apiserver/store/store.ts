// The store is a revisioned key-value map, shaped so the etcd backend fits the same interface:
// one global revision, compare-and-swap on a key's mod revision, and watch from a revision.
// Values are JSON text of the object WITHOUT metadata.resourceVersion: the registry sets it from
// modRevision on the way out, exactly as the Kubernetes etcd3 store does.

export interface KV {
  key: string;
  value: string;
  /** revision of the write that produced this value (the object's resourceVersion) */
  modRevision: number;
  /** revision at which the key was created (survives updates) */
  createRevision: number;
}

export interface ListOptions {
  /** at most this many items; 0/undefined = all */
  limit?: number;
  /** return keys strictly greater than this (continue token) */
  afterKey?: string;
}

export interface ListResult {
  items: KV[];
  /** store revision the list was read at */
  revision: number;
  /** true when more keys under the prefix follow the last returned one */
  more: boolean;
  /** how many keys follow (when known) */
  remaining?: number;
}

export interface StoreEvent {
  type: 'put' | 'delete';
  key: string;
  /** new value for put; for delete, the last value before deletion */
  kv: KV;
  /** previous value (undefined on create) */
  prev?: KV;
  revision: number;
}

export interface WatchHandle {
  cancel(): void;
}

export interface Store {
  get(key: string): Promise<KV | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** count keys under prefix (for remainingItemCount / quota) */
  count(prefix: string): Promise<number>;
  /** Create; throws ApiError AlreadyExists (resource/name supplied by caller context) — returns the new KV */
  create(key: string, value: string): Promise<KV>;
  /**
   * Compare-and-swap update: succeeds only when the key's current modRevision equals
   * expectedModRevision. Returns undefined when the key is missing, or {conflict: current} when
   * the revision moved on.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<KV | { conflict: KV } | undefined>;
  /** Delete, optionally guarded by modRevision. Returns the deleted KV (with the delete's revision as modRevision) or undefined/conflict as update. */
  delete(key: string, expectedModRevision?: number): Promise<{ deleted: KV; revision: number } | { conflict: KV } | undefined>;
  /** the latest committed revision */
  currentRevision(): Promise<number>;
  /**
   * Deliver every event with revision > fromRevision in order, then live ones. Throws ApiError
   * 'Expired' when fromRevision is older than the backend keeps.
   */
  watch(fromRevision: number, onEvent: (ev: StoreEvent) => void): WatchHandle;
  close(): Promise<void>;
}

/** `created && !conflict` discriminators kept next to the interface so callers stay terse. */
export const isConflictResult = (r: unknown): r is { conflict: KV } =>
  typeof r === 'object' && r !== null && 'conflict' in r;
