// Container resource requirements: quantity syntax, resource names, requests ≤ limits.
import { isQualifiedName } from '../names.js';
import { quantityError, parseQuantity } from '../quantity.js';
import { invalid, isObj, type Causes } from './field.js';

const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage']);

function resourceNameError(name: string): string | undefined {
  if (STANDARD.has(name) || name.startsWith('hugepages-')) return undefined;
  if (name.includes('/')) {
    const err = isQualifiedName(name);
    if (err) return err;
    if (name.startsWith('kubernetes.io/') || name.startsWith('requests.')) return 'must be a standard resource for containers';
    return undefined; // extended resource
  }
  return 'must be a standard resource for containers';
}

function validateList(list: unknown, path: string): Causes {
  if (list === undefined || list === null) return [];
  if (!isObj(list)) return [invalid(path, list, 'must be a map of resource name to quantity')];
  const out: Causes = [];
  for (const [name, q] of Object.entries(list)) {
    const p = `${path}[${name}]`;
    const nerr = resourceNameError(name);
    if (nerr) {
      out.push(invalid(p, name, nerr));
      continue;
    }
    const qerr = quantityError(q);
    if (qerr) {
      out.push(invalid(p, q, qerr));
      continue;
    }
    if (parseQuantity(q as string) < 0) out.push(invalid(p, q, 'must be greater than or equal to 0'));
  }
  return out;
}

export function validateResourceRequirements(res: unknown, path: string): Causes {
  if (res === undefined || res === null) return [];
  if (!isObj(res)) return [invalid(path, res, 'must be an object')];
  const out = [...validateList(res.limits, `${path}.limits`), ...validateList(res.requests, `${path}.requests`)];
  if (out.length > 0 || !isObj(res.limits) || !isObj(res.requests)) return out;
  for (const [name, q] of Object.entries(res.requests)) {
    const lim = res.limits[name];
    if (lim === undefined) continue;
    if (parseQuantity(q as string) > parseQuantity(lim)) {
      out.push(invalid(`${path}.requests`, q, `must be less than or equal to ${name} limit of ${lim}`));
    }
  }
  return out;
}
