// Join tokens carry the CA pin and the bootstrap credential: `K10<caSha256Hex>::<id>.<secret>`.
// The secret must never reach a log line; only the id is safe to show.

export interface JoinToken {
  /** lowercase hex SHA-256 of the cluster CA certificate's DER */
  caHash: string;
  id: string;
  secret: string;
  /** the token as given, for the Join request */
  raw: string;
}

const TOKEN_RE = /^K10([0-9a-f]{64})::([a-z0-9]{6})\.([a-z0-9]{16})$/;

export function parseJoinToken(token: string): JoinToken {
  const m = TOKEN_RE.exec(token.trim());
  if (!m) throw new Error('invalid join token format (expected K10<ca-sha256>::<id>.<secret>, as printed by `kinglet token create`)');
  return { caHash: m[1]!, id: m[2]!, secret: m[3]!, raw: token.trim() };
}
