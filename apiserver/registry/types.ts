// The registry's contract: generic CRUD over the store for every resource in api/resources.ts.
// HTTP handlers, the scheduler and controllers all go through it (never the store directly), so
// validation, defaulting, admission-like hooks and watch fan-out happen in exactly one place.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeList, KubeObject, WatchEvent } from '../../api/types.js';

export interface UserInfo {
  name: string; // e.g. "admin", "system:node:node1", "system:kube-scheduler"
  groups: string[]; // e.g. ["system:masters"], ["system:nodes"]
}

export interface WriteOptions {
  user: UserInfo;
  dryRun?: boolean;
  /** managedFields manager; defaults from the user agent in HTTP, or the component name */
  fieldManager?: string;
  /** which subresource is written: undefined = main resource, 'status', 'scale', ... */
  subresource?: string;
  /** set by server-side apply, which computes managedFields itself */
  managedFieldsComputed?: boolean;
  /** the subresource to record in managedFields when it differs from the one written (scale writes the main resource) */
  fieldsSubresource?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** '' or '0' = synthetic ADDED of current state first; N = replay after N (410 Expired if too old) */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  /** the object as it is now (with deletionTimestamp while graceful/finalizers) or as it was when removed */
  object: KubeObject;
  /** true when the object is gone from the store */
  deleted: boolean;
}

export interface WatchSink {
  (ev: WatchEvent): void;
}

export interface WatchHandle {
  stop(): void;
}

export interface Registry {
  get(ri: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(ri: ResourceInfo, namespace: string | undefined, opts?: ListOptions): Promise<KubeList>;
  create(ri: ResourceInfo, namespace: string | undefined, obj: KubeObject, opts: WriteOptions): Promise<KubeObject>;
  /** PUT semantics: obj.metadata.resourceVersion must match (409 otherwise); unset = unconditional */
  update(ri: ResourceInfo, namespace: string | undefined, name: string, obj: KubeObject, opts: WriteOptions): Promise<KubeObject>;
  /**
   * Read-modify-write with retry on conflict. mutate gets a deep copy of the current object
   * (undefined when absent, if allowCreate) and returns the desired one.
   */
  guaranteedUpdate(
    ri: ResourceInfo,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions & { allowCreate?: boolean },
  ): Promise<{ object: KubeObject; created: boolean }>;
  delete(ri: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions & WriteOptions): Promise<DeleteResult>;
  watch(ri: ResourceInfo, namespace: string | undefined, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle>;
}
