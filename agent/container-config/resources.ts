// Container resources → Docker cgroup settings, with the kubelet's conversions
// (milliCPUToQuota, milliCPUToShares).
import type { KubeObject } from '../../api/types.js';
import { tryParseQuantity } from '../../api/quantity.js';

export const CPU_PERIOD = 100_000;
const MIN_QUOTA = 1000;
const MIN_SHARES = 2;

export interface ResourceSettings {
  memoryBytes?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuShares: number;
  pidsLimit?: number;
}

export function milliCpuToShares(milli: number): number {
  if (milli <= 0) return MIN_SHARES;
  return Math.max(MIN_SHARES, Math.floor((milli * 1024) / 1000));
}

export function milliCpuToQuota(milli: number, period = CPU_PERIOD): number {
  if (milli <= 0) return 0;
  return Math.max(MIN_QUOTA, Math.floor((milli * period) / 1000));
}

export function resourceSettings(container: KubeObject, pidsLimit?: number): ResourceSettings {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const memLimit = tryParseQuantity(limits.memory);
  const cpuLimitMilli = Math.round((tryParseQuantity(limits.cpu) ?? 0) * 1000);
  const cpuRequestMilli = Math.round((tryParseQuantity(requests.cpu) ?? 0) * 1000);
  // an unset request means "equal to the limit" (API defaulting)
  const out: ResourceSettings = { cpuShares: milliCpuToShares(cpuRequestMilli || cpuLimitMilli) };
  if (memLimit !== undefined && memLimit > 0) out.memoryBytes = Math.round(memLimit);
  if (cpuLimitMilli > 0) {
    out.cpuPeriod = CPU_PERIOD;
    out.cpuQuota = milliCpuToQuota(cpuLimitMilli);
  }
  if (pidsLimit !== undefined && pidsLimit > 0) out.pidsLimit = pidsLimit;
  return out;
}
