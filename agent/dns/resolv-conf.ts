// resolv.conf as data: parse the node's file, render a pod's. Pure apart from readResolvConfFile.
import { readFileSync } from 'node:fs';

export interface ResolvConf {
  servers: string[];
  searches: string[];
  /** "name" or "name:value", as written after `options` */
  options: string[];
}

export const EMPTY_RESOLV_CONF: ResolvConf = { servers: [], searches: [], options: [] };

/**
 * The parts the kubelet reads (its parseResolvConf): every `nameserver`, the LAST `search` line
 * (the resolver's own rule), every `options` word. `domain` is ignored as the kubelet does.
 */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.servers.push(fields[0]);
    else if (key === 'search') out.searches = fields.filter((f) => f !== '.');
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

export function renderResolvConf(c: ResolvConf): string {
  const lines: string[] = [];
  if (c.searches.length) lines.push(`search ${c.searches.join(' ')}`);
  for (const s of c.servers) lines.push(`nameserver ${s}`);
  if (c.options.length) lines.push(`options ${c.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** The node's resolver configuration; a missing file is an empty one (the kubelet's tolerance). */
export function readResolvConfFile(path = '/etc/resolv.conf'): ResolvConf {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}
