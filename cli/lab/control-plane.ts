// What the lab reads from the apiserver's data dir: the CA, the admin token, a join token.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBootstrapToken } from '../../apiserver/agents/bootstrap-tokens.js';
import { CA_CERT_FILE } from '../../apiserver/auth/pki-files.js';
import { adminToken, readTokenFile } from '../../apiserver/auth/token-file.js';

export interface AdminAccess {
  token: string;
  caPem: string;
}

export async function adminAccess(apiserverDir: string): Promise<AdminAccess> {
  const tokens = await readTokenFile(apiserverDir);
  if (!tokens) throw new Error(`${apiserverDir} holds no token file`);
  return { token: adminToken(tokens), caPem: await readFile(join(apiserverDir, CA_CERT_FILE), 'utf8') };
}

/** One join token for every node of the lab (tokens may be used more than once until they expire). */
export async function joinToken(apiserverDir: string, caPem: string): Promise<string> {
  return createBootstrapToken(apiserverDir, caPem, 60 * 60 * 1000);
}
