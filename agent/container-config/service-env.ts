// Docker-links-style service environment variables (kubelet's envvars.FromServices), so programs
// that read FOO_SERVICE_HOST keep working.
import type { KubeObject } from '../../api/types.js';

export function envName(serviceName: string): string {
  return serviceName.replace(/-/g, '_').toUpperCase();
}

function hasClusterIp(svc: KubeObject): boolean {
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Variables of one Service, in the kubelet's order. */
export function serviceEnvVars(svc: KubeObject): [string, string][] {
  const ports: { name?: string; port: number; protocol?: string }[] = svc.spec?.ports ?? [];
  if (!hasClusterIp(svc) || ports.length === 0) return [];
  const ip: string = svc.spec.clusterIP;
  const prefix = envName(svc.metadata.name ?? '');
  const out: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) {
    if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  }
  ports.forEach((p, i) => {
    const proto = (p.protocol || 'TCP').toUpperCase();
    const url = `${proto.toLowerCase()}://${joinHostPort(ip, p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const pp = `${prefix}_PORT_${p.port}_${proto}`;
    out.push([pp, url], [`${pp}_PROTO`, proto.toLowerCase()], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
  });
  return out;
}

/**
 * The service variables a pod sees: every Service of its namespace with a ClusterIP when
 * enableServiceLinks is not false, and always the `kubernetes` Service of `default`.
 * `defaultServices` are the Services of namespace "default".
 */
export function serviceEnv(pod: KubeObject, namespaceServices: KubeObject[], defaultServices: KubeObject[]): Map<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const chosen = new Map<string, KubeObject>();
  const master = defaultServices.find((s) => s.metadata.name === 'kubernetes');
  if (master && hasClusterIp(master)) chosen.set('kubernetes', master);
  if (pod.spec?.enableServiceLinks !== false) {
    const sorted = [...namespaceServices].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    for (const svc of sorted) {
      const name = svc.metadata.name ?? '';
      if (!name || !hasClusterIp(svc)) continue;
      // the master service keeps its default-namespace definition
      if (ns === 'default' || name !== 'kubernetes' || !chosen.has(name)) chosen.set(name, svc);
    }
  }
  const out = new Map<string, string>();
  for (const svc of chosen.values()) for (const [k, v] of serviceEnvVars(svc)) out.set(k, v);
  return out;
}
