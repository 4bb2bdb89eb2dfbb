// Rows for the simple core kinds (nodes, namespaces, configmaps, secrets, serviceaccounts) and
// leases, after kubectl's printers (1.32).

import type { KubeObject } from '../../../api/types.js';
import { age, ageCol, col, nameCol, nameOf, wide, type Printer } from './format.js';

export const namespacePrinter: Printer = {
  columns: [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
  cells(obj, now) {
    // The real registry always sets a phase; derive one when a stored object lacks it.
    const phase = obj.status?.phase || (obj.metadata?.deletionTimestamp ? 'Terminating' : 'Active');
    return [nameOf(obj), phase, age(obj, now)];
  },
};

export const configMapPrinter: Printer = {
  columns: [nameCol(), col('Data', 'string', 'Data contains the configuration data.'), ageCol()],
  cells(obj, now) {
    const n = Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length;
    return [nameOf(obj), n, age(obj, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [
    nameCol(),
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    ageCol(),
  ],
  cells(obj, now) {
    // stringData is merged into data on write by a real apiserver; count the union.
    const keys = new Set([...Object.keys(obj.data ?? {}), ...Object.keys(obj.stringData ?? {})]);
    return [nameOf(obj), obj.type || 'Opaque', keys.size, age(obj, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameCol(), col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol()],
  cells(obj, now) {
    return [nameOf(obj), (obj.secrets ?? []).length, age(obj, now)];
  },
};

export const leasePrinter: Printer = {
  columns: [nameCol(), col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageCol()],
  cells(obj, now) {
    return [nameOf(obj), obj.spec?.holderIdentity ?? '', age(obj, now)];
  },
};

/** findNodeRoles: node-role.kubernetes.io/<role> keys and kubernetes.io/role values, sorted, unique. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

/** Ready/NotReady/Unknown from the Ready condition, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).filter((c: { type: string }) => c.type === 'Ready').pop();
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: { type: string }) => x.type === type);
  return a?.address ?? '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameCol(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageCol(),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'List of addresses reachable to the node.'),
    wide('External-IP', 'List of addresses reachable to the node.'),
    wide('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    wide('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    wide('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  cells(obj, now) {
    const info = obj.status?.nodeInfo ?? {};
    return [
      nameOf(obj),
      nodeStatus(obj),
      nodeRoles(obj),
      age(obj, now),
      info.kubeletVersion ?? '',
      nodeAddress(obj, 'InternalIP'),
      nodeAddress(obj, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
