// Label and field selectors: parse the query-string form once, match many times.
import { ApiError } from '../lib/errors.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin' | '=' | '!='; values: string[] }
  | { key: string; op: 'gt' | 'lt'; values: [string] };

export type LabelSelector = LabelRequirement[];

type Tok = { kind: 'ident' | 'op' | 'end'; text: string };

const SPECIAL = '!=(),<>';
// '+' is how kubectl's query encoding spells a space; it is never legal in a key or value, so
// treating it as whitespace is safe even when the HTTP layer forgot to decode it.
const isSpace = (c: string): boolean => /\s/.test(c) || c === '+';

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (SPECIAL.includes(c)) {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        toks.push({ kind: 'op', text: two });
        i += 2;
      } else {
        toks.push({ kind: 'op', text: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < text.length && !isSpace(text[j]) && !SPECIAL.includes(text[j])) j++;
    toks.push({ kind: 'ident', text: text.slice(i, j) });
    i = j;
  }
  toks.push({ kind: 'end', text: '' });
  return toks;
}

const bad = (msg: string): ApiError => new ApiError('BadRequest', `unable to parse requirement: ${msg}`);

function checkKey(key: string): void {
  const err = isQualifiedName(key);
  if (err) throw bad(`Invalid value: ${JSON.stringify(key)}: ${err}`);
}

function checkValue(v: string): void {
  const err = isValidLabelValue(v);
  if (err) throw bad(`Invalid value: ${JSON.stringify(v)}: ${err}`);
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}
  peek(): Tok {
    return this.toks[this.pos];
  }
  next(): Tok {
    return this.toks[this.pos++];
  }
  expected(t: Tok, what: string): ApiError {
    return new ApiError('BadRequest', `found '${t.text}', expected: ${what}`);
  }

  requirement(): LabelRequirement {
    let t = this.next();
    if (t.kind === 'op' && t.text === '!') {
      t = this.next();
      if (t.kind !== 'ident') throw this.expected(t, 'identifier after \'!\'');
      checkKey(t.text);
      return { key: t.text, op: 'notexists' };
    }
    if (t.kind !== 'ident') throw this.expected(t, "!, identifier");
    const key = t.text;
    checkKey(key);
    const o = this.peek();
    if (o.kind === 'end' || (o.kind === 'op' && o.text === ',')) return { key, op: 'exists' };
    this.next();
    if (o.kind === 'op' && (o.text === '=' || o.text === '==' || o.text === '!=')) {
      const v = this.peek().kind === 'ident' ? this.next().text : '';
      checkValue(v);
      return { key, op: o.text === '!=' ? '!=' : '=', values: [v] };
    }
    if (o.kind === 'op' && (o.text === '>' || o.text === '<')) {
      const v = this.next();
      if (v.kind !== 'ident' || !/^-?[0-9]+$/.test(v.text)) {
        throw bad(`for 'Gt', 'Lt' operators, the value must be an integer`);
      }
      return { key, op: o.text === '>' ? 'gt' : 'lt', values: [v.text] };
    }
    if (o.kind === 'ident' && (o.text === 'in' || o.text === 'notin')) {
      return { key, op: o.text, values: this.valueSet() };
    }
    throw this.expected(o, '=, !=, ==, in, notin');
  }

  valueSet(): string[] {
    const open = this.next();
    if (!(open.kind === 'op' && open.text === '(')) throw this.expected(open, '(');
    const values: string[] = [];
    for (;;) {
      const t = this.peek();
      let v = '';
      if (t.kind === 'ident') v = this.next().text;
      checkValue(v);
      values.push(v);
      const sep = this.next();
      if (sep.kind === 'op' && sep.text === ')') break;
      if (!(sep.kind === 'op' && sep.text === ',')) throw this.expected(sep, ', or )');
    }
    if (values.length === 1 && values[0] === '' && this.toks[this.pos - 2].text === '(') {
      throw bad("for 'in', 'notin' operators, values set can't be empty");
    }
    return values;
  }
}

/** Parse `app=web,tier!=db,env in (a,b),!legacy,x` (set-based included). Throws ApiError BadRequest. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text || text.trim() === '') return [];
  const p = new Parser(tokenize(text));
  const out: LabelSelector = [];
  for (;;) {
    out.push(p.requirement());
    const t = p.next();
    if (t.kind === 'end') return out;
    if (!(t.kind === 'op' && t.text === ',')) throw p.expected(t, ',');
  }
}

type ObjSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

/**
 * A metav1.LabelSelector object (matchLabels/matchExpressions) to requirements. Throws ApiError BadRequest on bad operator.
 * A missing selector gives [] (match everything); callers that need Kubernetes' "nil selects
 * nothing" rule must check for null themselves.
 */
export function labelSelectorFromObject(sel: ObjSelector | undefined | null): LabelSelector {
  if (!sel) return [];
  const out: LabelSelector = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    checkKey(k);
    checkValue(v);
    out.push({ key: k, op: '=', values: [v] });
  }
  for (const e of sel.matchExpressions ?? []) {
    checkKey(e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw bad("for 'in', 'notin' operators, values set can't be empty");
        values.forEach(checkValue);
        out.push({ key: e.key, op: e.operator === 'In' ? 'in' : 'notin', values: [...values] });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw bad("values set must be empty for exists and does not exist");
        out.push({ key: e.key, op: e.operator === 'Exists' ? 'exists' : 'notexists' });
        break;
      default:
        throw new ApiError('BadRequest', `${JSON.stringify(e.operator)} is not a valid label selector operator`);
    }
  }
  return out;
}

function matchOne(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case '=':
    case 'in':
      return has && r.values.includes(v);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?[0-9]+$/.test(v)) return false;
      const a = Number(v);
      const b = Number(r.values[0]);
      return r.op === 'gt' ? a > b : a < b;
    }
  }
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => matchOne(r, l));
}

/** The canonical string form (`app=web,tier in (a,b)`), as Scale.status.selector wants it. */
export function labelSelectorToString(sel: LabelSelector): string {
  const sorted = [...sel].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return sorted
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case 'notexists':
          return `!${r.key}`;
        case '=':
        case '!=':
          return `${r.key}${r.op}${r.values[0] ?? ''}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${[...new Set(r.values)].sort().join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

export {
  parseFieldSelector,
  checkFieldSelectorSupported,
  objectFields,
  matchesFields,
  type FieldRequirement,
  type FieldSelector,
} from './field-selectors.js';
