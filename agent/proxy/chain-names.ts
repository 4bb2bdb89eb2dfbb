// Names of the proxy's iptables chains (DESIGN.md). Per-Service and per-endpoint chains carry a
// hash of what they stand for, as kube-proxy's KUBE-SVC-/KUBE-SEP-: stable across restarts and
// agents, and short enough for iptables' 28-character chain names.
import { createHash } from 'node:crypto';

export const SERVICES_CHAIN = 'KINGLET-SERVICES';
export const NODEPORTS_CHAIN = 'KINGLET-NODEPORTS';
export const MARK_MASQ_CHAIN = 'KINGLET-MARK-MASQ';
export const POSTROUTING_CHAIN = 'KINGLET-POSTROUTING';
export const CHAIN_PREFIX = 'KINGLET-';
/** the packet mark bit meaning "masquerade this on the way out" (kube-proxy's 0x4000) */
export const MASQ_MARK = '0x4000';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first 16 base32 characters of sha256(text). */
export function hash16(text: string): string {
  const bytes = createHash('sha256').update(text).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 16) break;
  }
  return out;
}

/** `KINGLET-SVC-<hash>` for one Service port, e.g. key "default/web:http" and protocol "tcp". */
export const serviceChain = (portKey: string, protocol: string): string => `KINGLET-SVC-${hash16(`${portKey}/${protocol}`)}`;

/** `KINGLET-SEP-<hash>` for one endpoint of one Service port. */
export const endpointChain = (portKey: string, protocol: string, endpoint: string): string => `KINGLET-SEP-${hash16(`${portKey}/${protocol}/${endpoint}`)}`;

const OWNED_FIXED = new Set([SERVICES_CHAIN, NODEPORTS_CHAIN, MARK_MASQ_CHAIN, POSTROUTING_CHAIN]);

/**
 * Chains in the nat/filter tables this proxy owns (everything else is never touched). Not every
 * KINGLET- chain: the pod network's KINGLET-FORWARD and KINGLET-POD-NAT share the prefix, and a
 * full sync that tried to delete them failed ("CHAIN_DEL ... busy") and never installed a rule.
 */
export const isOwnedChain = (name: string): boolean => OWNED_FIXED.has(name) || /^KINGLET-(SVC|SEP)-./.test(name);
