// Events from the workload controllers (what `kubectl describe` lists under Events): fire and
// forget through the shared EventRecorder, so a failed Event write never fails a sync.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { EventRecorder } from '../scheduler/event-recorder.js';

export type EventSink = (obj: KubeObject, ri: ResourceInfo, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export function eventSink(registry: Registry, component: string, user: UserInfo, log: Logger): EventSink {
  const rec = new EventRecorder(registry, { component, user });
  return (obj, ri, type, reason, message) => {
    const involved = { ...obj, apiVersion: ri.group ? `${ri.group}/${ri.version}` : ri.version, kind: ri.kind };
    rec.record(involved, type, reason, message).catch((err) => log.debug({ err, reason }, 'event not recorded'));
  };
}
