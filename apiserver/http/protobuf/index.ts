// Kubernetes protobuf bodies (application/vnd.kubernetes.protobuf): the 4-byte magic "k8s\0",
// then a runtime.Unknown whose raw bytes are the object encoded per k8s.io/api generated.proto.
// kubectl's typed `create` commands send these; the server answers in JSON.
import type { KubeObject } from '../../../api/types.js';
import { ApiError } from '../../../lib/errors.js';
import { typeForKind, unknownType, protobufKinds } from './schema.js';
import { messageToJson } from './to-json.js';
import { jsonToMessage } from './from-json.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
export { protobufKinds };

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}

/** Decodes a protobuf request body into plain Kubernetes JSON. */
export function decodeProtobufObject(buf: Buffer): KubeObject {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    throw new ApiError('BadRequest', 'protobuf body does not start with the k8s\\0 magic prefix');
  }
  let env: Envelope;
  try {
    env = unknownType().decode(buf.subarray(4)) as unknown as Envelope;
  } catch (e) {
    throw new ApiError('BadRequest', `malformed protobuf envelope: ${(e as Error).message}`);
  }
  const apiVersion = env.typeMeta?.apiVersion ?? '';
  const kind = env.typeMeta?.kind ?? '';
  if (!apiVersion || !kind) throw new ApiError('BadRequest', 'protobuf envelope has no apiVersion/kind');
  if (env.contentEncoding) {
    throw new ApiError('UnsupportedMediaType', `protobuf content encoding "${env.contentEncoding}" is not supported`);
  }
  const type = typeForKind(apiVersion, kind);
  if (!type) {
    throw new ApiError('UnsupportedMediaType', `protobuf bodies are not supported for ${apiVersion} ${kind}; send JSON`);
  }
  let msg: Record<string, unknown>;
  try {
    msg = type.decode(env.raw ?? new Uint8Array()) as unknown as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('BadRequest', `malformed protobuf ${kind}: ${(e as Error).message}`);
  }
  const body = messageToJson(type, msg) as Record<string, unknown>;
  return { apiVersion, kind, ...body, metadata: (body.metadata as KubeObject['metadata']) ?? {} };
}

/** Encodes an object as a protobuf body (the inverse of decodeProtobufObject). */
export function encodeProtobufObject(obj: KubeObject): Buffer {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const type = typeForKind(apiVersion, kind);
  if (!type) throw new ApiError('NotAcceptable', `protobuf is not supported for ${apiVersion} ${kind}`);
  const raw = type.encode(type.fromObject(jsonToMessage(type, obj) as Record<string, unknown>)).finish();
  const envType = unknownType();
  const env = envType.encode(envType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([PROTOBUF_MAGIC, env]);
}
