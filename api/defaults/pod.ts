// Pod and PodSpec defaults as SetDefaults_* in k8s.io/kubernetes/pkg/apis/core/v1 fill them, plus
// the few values admission plugins add to real pods (service account, priority).
import { computeQosClass } from '../pod-qos.js';
import type { KubeObject } from '../types.js';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Always when the tag is `latest` or absent, else IfNotPresent. A digest without a tag counts as
 * pinned; a registry host:port (`127.0.0.1:5000/busybox`) is not a tag.
 */
export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  let ref = image;
  let digest = '';
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  const lastSlash = ref.lastIndexOf('/');
  const lastPart = ref.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon >= 0 ? lastPart.slice(colon + 1) : '';
  if (tag === '' && digest === '') return 'Always';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    if (!h.httpGet.path) h.httpGet.path = '/';
    if (!h.httpGet.scheme) h.httpGet.scheme = 'HTTP';
  }
  if (isObj(h.grpc)) h.grpc.service ??= '';
}

function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  c.imagePullPolicy ||= defaultImagePullPolicy(c.image);
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObj(p)) p.protocol ||= 'TCP';
  if (!isObj(c.resources)) c.resources = {};
  const res = c.resources;
  // Kubernetes copies limits into absent requests, which is what makes limits-only pods Guaranteed
  if (isObj(res.limits)) {
    res.requests = isObj(res.requests) ? res.requests : {};
    for (const [k, v] of Object.entries(res.limits)) if (res.requests[k] === undefined) res.requests[k] = v;
  }
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (isObj(e?.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ||= 'v1';
    if (isObj(e?.valueFrom?.resourceFieldRef) && e.valueFrom.resourceFieldRef.divisor === undefined) {
      e.valueFrom.resourceFieldRef.divisor = '0';
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  if (isObj(v.configMap)) v.configMap.defaultMode ??= 0o644;
  if (isObj(v.secret)) v.secret.defaultMode ??= 0o644;
  if (isObj(v.downwardAPI)) v.downwardAPI.defaultMode ??= 0o644;
  if (isObj(v.projected)) v.projected.defaultMode ??= 0o644;
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
}

/** Defaults of a PodSpec wherever it appears (pods and workload templates). */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  spec.restartPolicy ||= 'Always';
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.schedulerName ||= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork === true) {
    // host networking: a container port is the host port
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const p of Array.isArray(c?.ports) ? c.ports : []) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) defaultContainer(c);
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) defaultContainer(c);
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) defaultVolume(v);
  for (const t of Array.isArray(spec.tolerations) ? spec.tolerations : []) {
    if (isObj(t) && !t.operator && !t.key) t.operator = 'Exists';
  }
}

/** A template's pod spec: same defaults, no admission extras, no status. */
export function defaultPodTemplate(template: unknown): void {
  if (!isObj(template)) return;
  if (!isObj(template.metadata)) template.metadata = {};
  defaultPodSpec(template.spec);
}

export function defaultPod(pod: KubeObject): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec;
  defaultPodSpec(spec);
  // what the ServiceAccount and Priority admission plugins add to every real pod
  spec.serviceAccountName ||= spec.serviceAccount || 'default';
  spec.serviceAccount ||= spec.serviceAccountName;
  spec.priority ??= 0;
  if (!isObj(pod.status)) pod.status = {};
  pod.status.phase ||= 'Pending';
  pod.status.qosClass ||= computeQosClass(spec);
}
