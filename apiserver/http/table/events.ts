// Event rows, after kubectl's printEvent (1.32): LAST SEEN TYPE REASON OBJECT MESSAGE, and with
// -o wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME.

import type { KubeObject } from '../../../api/types.js';
import { col, nameCol, nameOf, since, timeOf, wide, type Printer } from './format.js';

const DESC = {
  lastSeen: 'The time at which the most recent occurrence of this event was recorded.',
  firstSeen: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  count: 'The number of times this event has occurred.',
  type: 'Type of this event (Normal, Warning), new types could be added in the future',
  reason: 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.',
  object: 'The object that this event is about.',
  subobject: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
  source: 'The component reporting this event. Should be a short machine understandable string.',
  message: 'A human-readable description of the status of this operation.',
};

const columns = [
  col('Last Seen', 'string', DESC.lastSeen),
  col('Type', 'string', DESC.type),
  col('Reason', 'string', DESC.reason),
  col('Object', 'string', DESC.object),
  wide('Subobject', DESC.subobject),
  wide('Source', DESC.source),
  col('Message', 'string', DESC.message),
  wide('First Seen', DESC.firstSeen),
  wide('Count', DESC.count),
  { ...nameCol(), priority: 1 },
];

/** formatEventSource: component (or reportingController) then ", host" (or reportingInstance). */
function eventSource(ev: KubeObject): string {
  // core/v1 serializes ReportingController as "reportingComponent".
  const component = ev.source?.component || ev.reportingComponent || ev.reportingController || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns,
  cells(ev, now) {
    let first = since(ev.firstTimestamp, now);
    if (timeOf(ev.firstTimestamp) === undefined) first = since(ev.eventTime, now);
    let last = since(ev.lastTimestamp, now);
    if (timeOf(ev.lastTimestamp) === undefined) last = first;
    let count = typeof ev.count === 'number' ? ev.count : 0;
    if (ev.series) {
      last = since(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events from the events.k8s.io API carry no count.
      count = 1;
    }
    const inv = ev.involvedObject ?? {};
    const kind = String(inv.kind ?? '').toLowerCase();
    const target = inv.name ? `${kind}/${inv.name}` : kind;
    return [
      last,
      ev.type ?? '',
      ev.reason ?? '',
      target,
      inv.fieldPath ?? '',
      eventSource(ev),
      String(ev.message ?? '').trim(),
      first,
      count,
      nameOf(ev),
    ];
  },
};
