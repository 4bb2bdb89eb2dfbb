// A tiny protobuf wire writer, independent of protobufjs, so tests check field numbers against the
// wire format itself rather than against our own .proto transcription.
export function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n; // negative int32/int64 are 10-byte two's complement varints
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

export const tag = (field: number, wireType: number): number[] => varint((field << 3) | wireType);

/** varint field (wire type 0): int32, int64, bool. */
export const num = (field: number, n: number | bigint | boolean): number[] => [
  ...tag(field, 0),
  ...varint(typeof n === 'boolean' ? (n ? 1 : 0) : n),
];

/** length-delimited field (wire type 2): string, bytes, embedded message. */
export function len(field: number, payload: number[] | string | Buffer): number[] {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload, 'utf8')] : [...payload];
  return [...tag(field, 2), ...varint(bytes.length), ...bytes];
}

/** One map entry: a length-delimited message {1 key, 2 value}. */
export const mapEntry = (field: number, key: string, value: number[] | string | Buffer): number[] =>
  len(field, [...len(1, key), ...len(2, value)]);

/** "k8s\0" + runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  const unknown = [...len(1, [...len(1, apiVersion), ...len(2, kind)]), ...len(2, raw)];
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}
