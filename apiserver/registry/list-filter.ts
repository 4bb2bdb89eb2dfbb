// Turns list/watch query options into one predicate, parsed once per request.
import type { ResourceInfo } from '../../api/resources.js';
import {
  checkFieldSelectorSupported,
  matchesFields,
  matchesLabels,
  objectFields,
  parseFieldSelector,
  parseLabelSelector,
} from '../../api/selectors.js';
import type { KubeObject } from '../../api/types.js';

export type Predicate = ((obj: KubeObject) => boolean) & { everything: boolean };

export function makePredicate(ri: ResourceInfo, labelSelector?: string, fieldSelector?: string): Predicate {
  const ls = parseLabelSelector(labelSelector);
  const fs = parseFieldSelector(fieldSelector);
  checkFieldSelectorSupported(ri.kind, fs);
  const everything = ls.length === 0 && fs.length === 0;
  const pred = ((obj: KubeObject) =>
    everything || (matchesLabels(ls, obj.metadata.labels) && matchesFields(fs, objectFields(ri.kind, obj)))) as Predicate;
  pred.everything = everything;
  return pred;
}
