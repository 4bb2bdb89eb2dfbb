// On-disk layout of a pod's volumes, kubelet-style: <root>/<uid>/volumes/<plugin>/<name> and a
// termination-log file per container under <root>/<uid>/containers/<name>/.
import { join } from 'node:path';

export const PLUGIN = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

export type PluginKind = keyof typeof PLUGIN;

export function podDir(root: string, uid: string): string {
  return join(root, uid);
}

export function volumeDir(root: string, uid: string, kind: PluginKind, name: string): string {
  return join(root, uid, 'volumes', PLUGIN[kind], name);
}

export function terminationLogPath(root: string, uid: string, container: string): string {
  return join(root, uid, 'containers', container, 'termination-log');
}
