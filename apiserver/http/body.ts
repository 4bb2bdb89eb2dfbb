// Reads and decodes request bodies: JSON, YAML (kubectl create --raw, curl users) and the
// protobuf that kubectl's typed `create` commands send. Over 3 MiB is refused before parsing.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../lib/errors.js';
import { decodeProtobufObject } from './protobuf/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (): ApiError => new ApiError('RequestEntityTooLarge', 'Request entity too large: limit is 3145728');

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** Decode an object body by its media type. Malformed input is a 400 naming the problem. */
export function decodeBody(buf: Buffer, contentType: string | undefined): any {
  const type = mediaType(contentType);
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(buf);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml') {
    try {
      return parseYaml(text);
    } catch (e) {
      throw new ApiError('BadRequest', `error decoding YAML: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError('BadRequest', `error decoding JSON body: ${(e as Error).message}`);
  }
}
