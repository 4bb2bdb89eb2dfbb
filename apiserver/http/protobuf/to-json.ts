// Converts a decoded protobuf message into the JSON Kubernetes would have received. gogo-protobuf
// writes every non-pointer Go field even when empty, so zero scalars of non-(ptr) fields are
// dropped here exactly like JSON's omitempty; empty messages stay as {} like Go's JSON does.
import protobuf from 'protobufjs';

type Json = unknown;
type Msg = Record<string, unknown>;

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export const toNumber = (v: unknown): number =>
  typeof v === 'number' ? v : v && typeof v === 'object' ? Number(String(v)) : Number(v ?? 0);

function rfc3339(seconds: number, nanos: number, micro: boolean): string | undefined {
  if (seconds === 0 && nanos === 0) return undefined; // Go's zero time: JSON null
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** Messages whose JSON form is not an object. */
function special(type: protobuf.Type, msg: Msg): { value: Json } | undefined {
  switch (type.name) {
    case 'Time':
    case 'MicroTime':
      return { value: rfc3339(toNumber(msg.seconds), toNumber(msg.nanos), type.name === 'MicroTime') };
    case 'Quantity':
      return { value: typeof msg.value === 'string' ? msg.value : undefined };
    case 'IntOrString':
      return { value: toNumber(msg.type) === 1 ? (msg.strVal ?? '') : toNumber(msg.intVal) };
    case 'FieldsV1': {
      const raw = msg.raw as Uint8Array | undefined;
      if (!raw || raw.length === 0) return { value: {} };
      try {
        return { value: JSON.parse(Buffer.from(raw).toString('utf8')) };
      } catch {
        return { value: {} };
      }
    }
    default:
      return undefined;
  }
}

function value(field: protobuf.Field, v: unknown): Json {
  if (field.resolvedType instanceof protobuf.Type) return messageToJson(field.resolvedType, v as Msg);
  if (field.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (field.type === 'int64' || field.type === 'uint64' || field.type === 'sint64') return toNumber(v);
  return v;
}

const isZero = (v: Json): boolean => v === '' || v === 0 || v === false;

export function messageToJson(type: protobuf.Type, msg: Msg): Json {
  const sp = special(type, msg);
  if (sp) return sp.value;
  const out: Record<string, Json> = {};
  for (const field of type.fieldsArray) {
    if (!has(msg, field.name) || msg[field.name] == null) continue;
    const raw = msg[field.name];
    const opts = field.options ?? {};
    let v: Json;
    if (field.map) {
      const entries = Object.entries(raw as Msg);
      if (entries.length === 0) continue;
      v = Object.fromEntries(entries.map(([k, e]) => [k, value(field, e)]));
    } else if (field.repeated) {
      const items = raw as unknown[];
      if (items.length === 0) continue;
      v = items.map((e) => value(field, e));
    } else {
      v = value(field, raw);
      if (v === undefined || (!opts['(ptr)'] && isZero(v))) continue;
    }
    if (opts['(inline)'] && v && typeof v === 'object') Object.assign(out, v);
    else out[field.name] = v;
  }
  return out;
}
