// Rows for services, endpoints and endpointslices, after kubectl's printers (1.32).

import type { KubeObject } from '../../../api/types.js';
import { age, ageCol, col, formatLabels, joinHostPort, listWithMore, nameCol, nameOf, wide, type Printer } from './format.js';

/** loadBalancerStatusStringer: unique sorted IPs/hostnames, clipped to 16 chars unless wide. */
function loadBalancerIPs(svc: KubeObject, wideOutput: boolean): string {
  const set = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  const r = [...set].sort().join(',');
  return !wideOutput && r.length > 16 ? `${r.slice(0, 13)}...` : r;
}

/** getServiceExternalIP. The server renders tables as wide, so load balancer IPs are not clipped. */
export function serviceExternalIP(svc: KubeObject, wideOutput = true): string {
  const spec = svc.spec ?? {};
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc, wideOutput);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** makePortString: "80/TCP", or "80:30080/TCP" with a node port. */
export function servicePorts(svc: KubeObject): string {
  const ports: { port: number; nodePort?: number; protocol?: string }[] = svc.spec?.ports ?? [];
  const s = ports
    .map((p) => {
      const proto = p.protocol || 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
  return s || '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    nameCol(),
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageCol(),
    wide('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(obj, now) {
    const spec = obj.spec ?? {};
    const clusterIP: string = spec.clusterIPs?.[0] || spec.clusterIP || '<none>';
    return [
      nameOf(obj),
      spec.type ?? 'ClusterIP',
      clusterIP,
      serviceExternalIP(obj),
      servicePorts(obj),
      age(obj, now),
      formatLabels(spec.selector),
    ];
  },
};

interface Subset {
  addresses?: { ip: string }[];
  ports?: { port: number; name?: string }[];
}

/** formatEndpoints: ip:port for every address and port, at most 3 then "+ N more...". */
export function formatEndpoints(ep: KubeObject): string {
  const subsets: Subset[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      // Headless services may have no ports: list bare IPs.
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip);
      continue;
    }
    for (const p of ss.ports) {
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(joinHostPort(a.ip, p.port));
    }
  }
  const ret = list.join(',');
  return count > max ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: Printer = {
  columns: [
    nameCol(),
    col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageCol(),
  ],
  cells(obj, now) {
    return [nameOf(obj), formatEndpoints(obj), age(obj, now)];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameCol(),
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageCol(),
  ],
  cells(obj, now) {
    const ports = (obj.ports ?? []).map((p: { port?: number; name?: string }) =>
      p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*',
    );
    const addrs = (obj.endpoints ?? []).flatMap((e: { addresses?: string[] }) => e.addresses ?? []);
    return [nameOf(obj), obj.addressType ?? '', listWithMore(ports), listWithMore(addrs), age(obj, now)];
  },
};
