import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../../agent/apiclient/outbox.ts';
import type { AgentMessage } from '../../../../proto/load.ts';

const pod = (uid: string) => ({ metadata: { name: `p-${uid}`, namespace: 'ns', uid } });

describe('Outbox', () => {
  it('keeps only the latest status per pod while disconnected, with increasing versions', () => {
    let t = 1000;
    const o = new Outbox(10, () => t);
    o.podStatus(pod('a'), { phase: 'Pending' }, false);
    o.podStatus(pod('a'), { phase: 'Running' }, false);
    o.podStatus(pod('b'), { phase: 'Running' }, true);
    const sent: AgentMessage[] = [];
    o.setWriter((m) => sent.push(m));
    expect(sent).toHaveLength(2);
    const a = sent.find((m) => m.podStatus?.uid === 'a')!.podStatus!;
    expect(JSON.parse(String(a.statusJson))).toEqual({ phase: 'Running' });
    expect(a.version).toBe(1001);
    expect(sent.find((m) => m.podStatus?.uid === 'b')!.podStatus!.terminated).toBe(true);
    t = 5000;
    o.podStatus(pod('a'), { phase: 'Succeeded' }, false);
    expect(sent[2]!.podStatus!.version).toBe(5000);
  });

  it('re-sends every known pod status after a reconnect, but not pods that are gone', () => {
    const o = new Outbox();
    const first: AgentMessage[] = [];
    o.setWriter((m) => first.push(m));
    o.podStatus(pod('a'), {}, false);
    o.podStatus(pod('b'), {}, false);
    o.podGone('b');
    o.setWriter(undefined);
    const second: AgentMessage[] = [];
    o.setWriter((m) => second.push(m));
    expect(second.map((m) => m.podStatus?.uid)).toEqual(['a']);
  });

  it('queues events while disconnected, bounded, dropping the oldest', () => {
    const o = new Outbox(3);
    for (let i = 0; i < 5; i++) o.event({ metadata: { name: `e${i}` } });
    expect(o.stats()).toMatchObject({ queuedEvents: 3, droppedEvents: 2 });
    const sent: AgentMessage[] = [];
    o.setWriter((m) => sent.push(m));
    expect(sent.map((m) => JSON.parse(String(m.event!.eventJson)).metadata.name)).toEqual(['e2', 'e3', 'e4']);
    o.setWriter(undefined);
    o.setWriter((m) => sent.push(m));
    expect(sent).toHaveLength(3);
  });

  it('sends node status latest-only and owes one lease while disconnected', () => {
    let t = 1;
    const o = new Outbox(10, () => t);
    o.node({ metadata: { name: 'n', labels: { v: '1' } } });
    o.node({ metadata: { name: 'n', labels: { v: '2' } } });
    o.lease();
    o.lease();
    t = 42;
    const sent: AgentMessage[] = [];
    o.setWriter((m) => sent.push(m));
    expect(sent).toHaveLength(2);
    expect(JSON.parse(String(sent[0]!.nodeStatus!.nodeJson)).metadata.labels.v).toBe('2');
    expect(sent[1]!.lease!.renewTimeUnixMs).toBe(42);
    o.lease();
    expect(sent).toHaveLength(3);
  });
});
