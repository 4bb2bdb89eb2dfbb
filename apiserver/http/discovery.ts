// Legacy (per-group) discovery documents. kubectl accepts them in place of aggregated discovery
// because it decides by the response Content-Type; client-node only understands these.
import { groupVersion, groupVersions, RESOURCES, type ResourceInfo } from '../../api/resources.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+kinglet' };

export function versionInfo(version: string): Record<string, string> {
  return {
    ...KUBE_VERSION,
    gitVersion: `v1.32.0+kinglet-${version}`,
    gitCommit: 'kinglet',
    gitTreeState: 'clean',
    buildDate: '2026-11-23T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = groupVersions()
    .filter((gv) => gv.group !== '')
    .map((gv) => {
      const v = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
      return { name: gv.group, versions: [v], preferredVersion: v };
    });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(group: string): Record<string, unknown> | undefined {
  const gv = groupVersions().find((g) => g.group === group);
  if (!gv || !group) return undefined;
  const v = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [v], preferredVersion: v };
}

const SUBRESOURCES: Record<string, { kind: string; verbs: string[]; group?: string; version?: string }> = {
  status: { kind: '', verbs: ['get', 'patch', 'update'] },
  scale: { kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' },
  binding: { kind: 'Binding', verbs: ['create'] },
  eviction: { kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
  log: { kind: 'Pod', verbs: ['get'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  finalize: { kind: '', verbs: ['update'] },
};

function resourceEntries(ri: ResourceInfo): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: ri.plural,
    singularName: ri.singular,
    namespaced: ri.namespaced,
    kind: ri.kind,
    verbs: VERBS,
  };
  if (ri.shortNames) main.shortNames = ri.shortNames;
  if (ri.categories) main.categories = ri.categories;
  const subs = (ri.subresources ?? []).map((s) => {
    const d = SUBRESOURCES[s];
    const e: Record<string, unknown> = { name: `${ri.plural}/${s}`, singularName: '', namespaced: ri.namespaced, kind: d.kind || ri.kind, verbs: d.verbs };
    if (d.group) {
      e.group = d.group;
      e.version = d.version;
    }
    return e;
  });
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const ris = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!ris.length) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: ris.flatMap(resourceEntries) };
}
