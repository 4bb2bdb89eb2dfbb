// Name-format checks with the exact wording of k8s.io/apimachinery/pkg/util/validation, because
// kubectl users (and tests written against real clusters) match on these messages.
// Each function returns the first problem as a message, or undefined when the value is valid.

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';
const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';

const full = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const dns1123LabelRe = full(DNS1123_LABEL_FMT);
const dns1123SubdomainRe = full(DNS1123_SUBDOMAIN_FMT);
const qualifiedNameRe = full(QUALIFIED_NAME_FMT);
const labelValueRe = full(LABEL_VALUE_FMT);
const cIdentifierRe = full(C_IDENTIFIER_FMT);
const envVarNameRe = full(ENV_VAR_NAME_FMT);
const configKeyRe = full(CONFIG_KEY_FMT);

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_VALUE_MAX = 63;
export const QUALIFIED_NAME_MAX = 63;

export const maxLenError = (n: number): string => `must be no more than ${n} characters`;

/** Kubernetes' RegexError: the message, the examples, and the regex itself. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const ex = examples.map((e) => `'${e}'`).join(',  or ');
  return `${msg} (e.g. ${ex}, regex used for validation is '${fmt}')`;
}

export const DNS1123_LABEL_ERROR = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  DNS1123_LABEL_FMT,
  'my-name',
  '123-abc',
);
export const DNS1123_SUBDOMAIN_ERROR = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  DNS1123_SUBDOMAIN_FMT,
  'example.com',
);
const QUALIFIED_NAME_ERROR_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export function isDns1123Label(v: string): string | undefined {
  if (v.length > DNS1123_LABEL_MAX) return maxLenError(DNS1123_LABEL_MAX);
  if (!dns1123LabelRe.test(v)) return DNS1123_LABEL_ERROR;
  return undefined;
}

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
export const DNS1035_LABEL_ERROR = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  DNS1035_LABEL_FMT,
  'my-name',
  'abc-123',
);

/** Service names: like a DNS-1123 label but must start with a letter. */
export function isDns1035Label(v: string): string | undefined {
  if (v.length > DNS1123_LABEL_MAX) return maxLenError(DNS1123_LABEL_MAX);
  if (!full(DNS1035_LABEL_FMT).test(v)) return DNS1035_LABEL_ERROR;
  return undefined;
}

export function isDns1123Subdomain(v: string): string | undefined {
  if (v.length > DNS1123_SUBDOMAIN_MAX) return maxLenError(DNS1123_SUBDOMAIN_MAX);
  if (!dns1123SubdomainRe.test(v)) return DNS1123_SUBDOMAIN_ERROR;
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63. */
export function isQualifiedName(v: string): string | undefined {
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const perr = isDns1123Subdomain(prefix);
    if (perr) return `prefix part ${perr}`;
  } else {
    return regexError(
      `a qualified name ${QUALIFIED_NAME_ERROR_MSG}`,
      QUALIFIED_NAME_FMT,
      'MyName',
      'my.name',
      '123-abc',
    ) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > QUALIFIED_NAME_MAX) return `name part ${maxLenError(QUALIFIED_NAME_MAX)}`;
  if (!qualifiedNameRe.test(name)) {
    return `name part ${regexError(QUALIFIED_NAME_ERROR_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`;
  }
  return undefined;
}

export function isValidLabelValue(v: string): string | undefined {
  if (v.length > LABEL_VALUE_MAX) return maxLenError(LABEL_VALUE_MAX);
  if (!labelValueRe.test(v)) {
    return regexError(
      `a valid label must be an empty string or ${QUALIFIED_NAME_ERROR_MSG.replace(/^must /, '')}`,
      LABEL_VALUE_FMT,
      'MyValue',
      'my_value',
      '12345',
    );
  }
  return undefined;
}

/** Port names (IsValidPortName): ≤ 15 chars, [-a-z0-9], at least one letter, no `--`, no edge hyphen. */
export function isIanaSvcName(v: string): string | undefined {
  if (v.length > 15) return maxLenError(15);
  if (!/^[-a-z0-9]+$/.test(v)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (!/[a-z]/.test(v)) return 'must contain at least one letter (a-z)';
  if (v.includes('--')) return 'must not contain consecutive hyphens (-)';
  if (v.startsWith('-') || v.endsWith('-')) return 'must not begin or end with a hyphen (-)';
  return undefined;
}

export function isCIdentifier(v: string): string | undefined {
  if (!cIdentifierRe.test(v)) {
    return regexError(
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
      C_IDENTIFIER_FMT,
      'my_name',
      'MY_NAME',
      'MyName',
    );
  }
  return undefined;
}

/** Container env var names (IsEnvVarName): more relaxed than a C identifier. */
export function isEnvVarName(v: string): string | undefined {
  if (!envVarNameRe.test(v)) {
    return regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      ENV_VAR_NAME_FMT,
      'my.env-name',
      'MY_ENV.NAME',
      'MyEnvName1',
    );
  }
  return isRelativePathLike(v);
}

/** ConfigMap / Secret data keys (IsConfigMapKey). */
export function isConfigMapKey(v: string): string | undefined {
  if (v.length > DNS1123_SUBDOMAIN_MAX) return maxLenError(DNS1123_SUBDOMAIN_MAX);
  if (!configKeyRe.test(v)) {
    return regexError(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      CONFIG_KEY_FMT,
      'key.name',
      'KEY_NAME',
      'key-name',
    );
  }
  return isRelativePathLike(v);
}

function isRelativePathLike(v: string): string | undefined {
  if (v === '.') return "must not be '.'";
  if (v === '..') return "must not be '..'";
  if (v.startsWith('..')) return "must not start with '..'";
  return undefined;
}

/** IPv4 or IPv6 literal (no zone, no prefix). */
export function isValidIp(v: string): boolean {
  return isValidIpv4(v) || isValidIpv6(v);
}

export function isValidIpv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isValidIpv6(v: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(v) || !v.includes(':')) return false;
  const dbl = v.split('::');
  if (dbl.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const all = [...groups(dbl[0]), ...(dbl.length === 2 ? groups(dbl[1]) : [])];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i];
    if (i === all.length - 1 && g.includes('.')) {
      if (!isValidIpv4(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count += 1;
    else return false;
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}
