import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { KubeObject } from '../../../../api/types.ts';
import { FakeClock } from '../../../../lib/clock.ts';
import { collectNodeFacts, collectNodeReadings } from '../../../../agent/node/node-info.ts';
import { startNodeReporter } from '../../../../agent/node/node-reporter.ts';
import type { NodeFacts, NodeReadings } from '../../../../agent/node/node-status.ts';

const log = pino({ level: 'silent' });
const facts: NodeFacts = {
  nodeName: 'n1', hostname: 'h', nodeIp: '10.0.0.5', cpuCores: 2, memoryTotalBytes: 4 << 30,
  kernelVersion: 'k', osImage: 'os', architecture: 'amd64', machineID: 'm', systemUUID: 'u', bootID: 'b',
};
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('startNodeReporter', () => {
  it('renews the lease every 10 s and posts status on change or every 60 s', async () => {
    const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
    let readings: NodeReadings = { memoryAvailableBytes: 1 << 30, runtimeVersion: 'docker://27.5.1' };
    const sent: KubeObject[] = [];
    let leases = 0;
    const link = { sendNodeStatus: (n: KubeObject) => sent.push(n), renewLease: () => void leases++ };
    const r = await startNodeReporter({
      link, runtimeVersion: async () => ({ version: 'x' }), nodeName: 'n1', dataDir: '/', log, clock,
      readFacts: async () => facts, readReadings: async () => readings,
    });
    expect(leases).toBe(1);
    expect(sent).toHaveLength(1);
    const ready = (n: KubeObject) => n.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready(sent[0]!)).toMatchObject({ status: 'True', lastHeartbeatTime: '2024-01-01T00:00:00Z' });

    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      await flush();
    }
    expect(leases).toBe(4);
    expect(sent).toHaveLength(1); // nothing changed, 30 s < 60 s

    readings = { memoryAvailableBytes: 1 << 30 }; // the runtime stopped answering
    clock.advance(10_000);
    await flush();
    expect(sent).toHaveLength(2);
    expect(ready(sent[1]!)).toMatchObject({ status: 'False', reason: 'KubeletNotReady', lastTransitionTime: '2024-01-01T00:00:40Z' });
    // the last known runtime version stays in nodeInfo
    expect(sent[1]!.status.nodeInfo.containerRuntimeVersion).toBe('docker://27.5.1');

    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await flush();
    }
    expect(sent).toHaveLength(3); // the periodic report
    expect(ready(sent[2]!)).toMatchObject({ lastTransitionTime: '2024-01-01T00:00:40Z', lastHeartbeatTime: '2024-01-01T00:01:40Z' });

    r.stop();
    clock.advance(60_000);
    await flush();
    expect(sent).toHaveLength(3);
    expect(clock.pending()).toBe(0);
  });
});

describe('node readers on this machine', () => {
  it('collect facts and readings without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinglet-node-'));
    try {
      const f = await collectNodeFacts({ nodeName: 'n1', nodeIp: '10.1.2.3' });
      expect(f.cpuCores).toBeGreaterThan(0);
      expect(f.memoryTotalBytes).toBeGreaterThan(0);
      expect(f.nodeIp).toBe('10.1.2.3');
      expect(['amd64', 'arm64']).toContain(f.architecture);
      const r = await collectNodeReadings({ dataDir: dir, runtimeVersion: async () => { throw new Error('no docker'); } });
      expect(r.fsTotalBytes).toBeGreaterThan(0);
      expect(r.memoryAvailableBytes).toBeGreaterThan(0);
      expect(r.runtimeVersion).toBeUndefined();
      const up = await collectNodeReadings({ dataDir: dir, runtimeVersion: async () => ({ version: '27.5.1' }) });
      expect(up.runtimeVersion).toBe('docker://27.5.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
