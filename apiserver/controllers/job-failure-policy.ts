// spec.podFailurePolicy: the first rule matching a failed pod decides whether the failure fails the
// whole Job, is ignored (not counted toward backoffLimit), or is counted (the default). Pure.
import type { KubeObject } from '../../api/types.js';

export interface FailureAction {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  message?: string;
}

interface ExitCodesReq {
  containerName?: string;
  operator: 'In' | 'NotIn';
  values: number[];
}

interface Rule {
  action: FailureAction['action'];
  onExitCodes?: ExitCodesReq;
  onPodConditions?: { type: string; status?: string }[];
}

/** Containers that failed, with their exit codes (successful ones are never checked, as Kubernetes). */
function failedContainers(pod: KubeObject, name?: string): { name: string; exitCode: number }[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as KubeObject[];
  return statuses
    .filter((cs) => !name || cs.name === name)
    .map((cs) => ({ name: cs.name as string, exitCode: cs.state?.terminated?.exitCode as number | undefined }))
    .filter((c): c is { name: string; exitCode: number } => typeof c.exitCode === 'number' && c.exitCode !== 0);
}

function matchRule(rule: Rule, pod: KubeObject): string | undefined {
  const pname = `${pod.metadata.namespace}/${pod.metadata.name}`;
  if (rule.onExitCodes) {
    const req = rule.onExitCodes;
    const hit = failedContainers(pod, req.containerName).find((c) => (req.operator === 'In') === req.values.includes(c.exitCode));
    return hit ? `Container ${hit.name} for pod ${pname} failed with exit code ${hit.exitCode}` : undefined;
  }
  for (const pc of rule.onPodConditions ?? []) {
    const c = ((pod.status?.conditions ?? []) as { type: string; status: string }[]).find((x) => x.type === pc.type);
    if (c && c.status === (pc.status ?? 'True')) return `Pod ${pname} has condition ${pc.type} matching`;
  }
  return undefined;
}

export function podFailureAction(policy: { rules?: Rule[] } | undefined, pod: KubeObject): FailureAction {
  const rules = policy?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const why = matchRule(rules[i], pod);
    if (why) return { action: rules[i].action, message: `${why} matching ${rules[i].action} rule at index ${i}` };
  }
  return { action: 'Count' };
}
