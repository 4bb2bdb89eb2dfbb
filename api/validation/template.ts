// What every controller-owned workload shares: a selector that matches its pod template, and a
// template that is a valid pod spec.
import { isApiError } from '../../lib/errors.js';
import { labelSelectorFromObject, matchesLabels } from '../selectors.js';
import { formatValue, invalid, isObj, notSupported, nonNegative, required, type Causes } from './field.js';
import { validateTemplateMeta } from './meta.js';
import { validatePodSpec } from './pod-spec.js';

/** Go-like rendering of a LabelSelector in messages, as `%#v` would print it, abridged. */
export const selectorValue = (sel: unknown): string => `v1.LabelSelector${formatValue(sel)}`;

/** selector must exist (unless optional), be non-empty, parse, and select the template's labels. */
export function validateSelectorAndTemplate(
  spec: any,
  opts: { selectorOptional?: boolean; restartPolicies?: string[]; what: string },
): Causes {
  const out: Causes = [];
  const sel = spec?.selector;
  const tmpl = spec?.template;
  if (!isObj(sel)) {
    if (!opts.selectorOptional) out.push(required('spec.selector'));
  } else {
    const empty = Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
    if (empty) {
      out.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${selectorValue(sel)}: empty selector is invalid for ${opts.what}` });
    }
    else {
      try {
        const parsed = labelSelectorFromObject(sel);
        const labels = tmpl?.metadata?.labels;
        if (!matchesLabels(parsed, labels ?? {})) {
          out.push(invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
        }
      } catch (e) {
        if (!isApiError(e)) throw e;
        out.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${selectorValue(sel)}: ${e.message}` });
      }
    }
  }
  if (!isObj(tmpl)) {
    out.push(required('spec.template'));
    return out;
  }
  out.push(...validateTemplateMeta(tmpl.metadata, 'spec.template.metadata'));
  out.push(...validatePodSpec(tmpl.spec, 'spec.template.spec'));
  const rp = tmpl.spec?.restartPolicy;
  if (opts.restartPolicies && rp && !opts.restartPolicies.includes(rp)) {
    out.push(notSupported('spec.template.spec.restartPolicy', rp, opts.restartPolicies));
  }
  return out;
}

const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** An IntOrString that is a count or a percentage; returns causes and whether it is zero. */
export function validateIntOrPercent(v: unknown, path: string): { causes: Causes; zero: boolean } {
  if (v === undefined || v === null) return { causes: [], zero: false };
  if (typeof v === 'number') return { causes: nonNegative(path, v), zero: v === 0 };
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) return { causes: [invalid(path, v, PERCENT_MSG)], zero: false };
    return { causes: [], zero: parseInt(v, 10) === 0 };
  }
  return { causes: [invalid(path, v, 'must be an integer or percentage (e.g \'5%\')')], zero: false };
}

export function validateRollingParams(ru: any, path: string, allowSurge = true): Causes {
  if (!isObj(ru)) return [];
  const mu = validateIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`);
  const ms = validateIntOrPercent(ru.maxSurge, `${path}.maxSurge`);
  const out = [...mu.causes, ...ms.causes];
  if (typeof ru.maxUnavailable === 'string' && parseInt(ru.maxUnavailable, 10) > 100) {
    out.push(invalid(`${path}.maxUnavailable`, ru.maxUnavailable, 'must not be greater than 100%'));
  }
  if (allowSurge && mu.zero && ms.zero) {
    out.push(invalid(`${path}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return out;
}
