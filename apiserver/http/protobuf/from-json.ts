// The inverse of to-json.ts: Kubernetes JSON → a plain object protobufjs can encode. Used to answer
// protobuf clients and to round-trip in tests. JSON keys without a transcribed field are dropped.
import protobuf from 'protobufjs';

type Msg = Record<string, unknown>;

function special(type: protobuf.Type, v: unknown): { value: unknown } | undefined {
  switch (type.name) {
    case 'Time':
    case 'MicroTime': {
      const ms = Date.parse(String(v));
      if (Number.isNaN(ms)) return { value: {} };
      const nanos = type.name === 'MicroTime' ? microNanos(String(v)) : 0;
      return { value: { seconds: Math.floor(ms / 1000), nanos } };
    }
    case 'Quantity':
      return { value: { value: String(v) } };
    case 'IntOrString':
      return { value: typeof v === 'number' ? { type: 0, intVal: v } : { type: 1, strVal: String(v) } };
    case 'FieldsV1':
      return { value: { raw: Buffer.from(JSON.stringify(v ?? {})) } };
    default:
      return undefined;
  }
}

function microNanos(s: string): number {
  const m = /\.(\d{1,9})/.exec(s);
  return m ? Number(m[1].padEnd(9, '0')) : 0;
}

function value(field: protobuf.Field, v: unknown): unknown {
  if (field.resolvedType instanceof protobuf.Type) return jsonToMessage(field.resolvedType, v);
  if (field.type === 'bytes') return Buffer.from(String(v), 'base64');
  return v;
}

/** Kubernetes JSON for one message type → protobufjs plain object (pass to Type.fromObject). */
export function jsonToMessage(type: protobuf.Type, json: unknown): unknown {
  const sp = special(type, json);
  if (sp) return sp.value;
  const src = (json ?? {}) as Msg;
  const out: Msg = {};
  for (const field of type.fieldsArray) {
    if (field.options?.['(inline)'] && field.resolvedType instanceof protobuf.Type) {
      const inner = jsonToMessage(field.resolvedType, src) as Msg;
      if (Object.keys(inner).length > 0) out[field.name] = inner;
      continue;
    }
    const v = src[field.name];
    if (v === undefined || v === null) continue;
    if (field.map) {
      out[field.name] = Object.fromEntries(Object.entries(v as Msg).map(([k, e]) => [k, value(field, e)]));
    } else if (field.repeated) {
      out[field.name] = (v as unknown[]).map((e) => value(field, e));
    } else {
      out[field.name] = value(field, v);
    }
  }
  return out;
}
