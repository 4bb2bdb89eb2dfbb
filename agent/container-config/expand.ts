// Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion), byte for byte: `$$` is an
// escaped `$`, an unknown `$(X)` stays as written, an unterminated `$(` is copied literally.

export type Mapping = (name: string) => string;

/** A mapping over ordered contexts (first hit wins) that leaves unknown references untouched. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const ctx of contexts) {
      const v = ctx.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const [read, isVar, advance] = readVariableName(input.slice(cursor + 1));
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function readVariableName(input: string): [string, boolean, number] {
  if (input[0] === '$') return ['$', false, 1];
  if (input[0] === '(') {
    const close = input.indexOf(')', 1);
    if (close >= 0) return [input.slice(1, close), true, close + 1];
    return ['$(', false, 1];
  }
  return ['$' + input[0], false, 1];
}
