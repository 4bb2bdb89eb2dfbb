// The patch engine: pure functions from (object, patch) to a new object, plus field ownership.
export { type PatchType, patchTypeFromContentType } from './content-type.js';
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export { applyServerSide, type ApplyOptions } from './server-side-apply.js';
export { updateManagedFields, type UpdateOptions } from './managed-fields.js';
export { fieldSetOf, diffFields, toFieldsV1, fromFieldsV1, trackedView, type FieldSet } from './fields-v1.js';
export { formatPath } from './field-path.js';
export { listStrategy, type ListStrategy } from './schema.js';
