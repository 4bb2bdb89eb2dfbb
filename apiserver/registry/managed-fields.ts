// Every non-apply write records which manager changed which fields, so a later server-side apply
// can detect conflicts exactly as Kubernetes does.
import type { ResourceInfo } from '../../api/resources.js';
import { groupVersion } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { updateManagedFields } from '../http/patch/index.js';
import type { WriteOptions } from './types.js';

export function recordManagedFields(ri: ResourceInfo, old: KubeObject | undefined, next: KubeObject, opts: WriteOptions, now: Date): void {
  if (opts.managedFieldsComputed) return;
  if (old && next.metadata.managedFields === undefined) next.metadata.managedFields = old.metadata.managedFields;
  updateManagedFields(old, next, {
    manager: opts.fieldManager ?? 'unknown',
    operation: 'Update',
    kindKey: `${groupVersion(ri)}/${ri.kind}`,
    apiVersion: groupVersion(ri),
    now: nowRfc3339(now),
    subresource: opts.fieldsSubresource ?? (opts.subresource === 'status' ? 'status' : undefined),
  });
}
