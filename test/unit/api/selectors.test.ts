import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/errors.js';
import {
  checkFieldSelectorSupported,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesFields,
  matchesLabels,
  objectFields,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../api/selectors.js';

const badRequest = (fn: () => unknown): ApiError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).reason).toBe('BadRequest');
    return e as ApiError;
  }
  throw new Error('expected a BadRequest');
};

describe('parseLabelSelector', () => {
  it('parses equality, inequality, set-based and existence', () => {
    expect(parseLabelSelector('app=web,tier!=db,env in (a, b),!legacy,x,y==z,k notin (q)')).toEqual([
      { key: 'app', op: '=', values: ['web'] },
      { key: 'tier', op: '!=', values: ['db'] },
      { key: 'env', op: 'in', values: ['a', 'b'] },
      { key: 'legacy', op: 'notexists' },
      { key: 'x', op: 'exists' },
      { key: 'y', op: '=', values: ['z'] },
      { key: 'k', op: 'notin', values: ['q'] },
    ]);
  });

  it('accepts + as whitespace, the form kubectl query strings use', () => {
    expect(parseLabelSelector('app+in+(a,b),!foo')).toEqual([
      { key: 'app', op: 'in', values: ['a', 'b'] },
      { key: 'foo', op: 'notexists' },
    ]);
  });

  it('empty and undefined select everything', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector(undefined)).toEqual([]);
    expect(matchesLabels(parseLabelSelector(''), undefined)).toBe(true);
  });

  it('accepts prefixed keys, empty values and gt/lt', () => {
    expect(parseLabelSelector('example.com/app=,n>3,m<10')).toEqual([
      { key: 'example.com/app', op: '=', values: [''] },
      { key: 'n', op: 'gt', values: ['3'] },
      { key: 'm', op: 'lt', values: ['10'] },
    ]);
  });

  it('rejects malformed selectors with BadRequest', () => {
    badRequest(() => parseLabelSelector('app in a'));
    badRequest(() => parseLabelSelector('app in ()'));
    badRequest(() => parseLabelSelector('app=web,'));
    badRequest(() => parseLabelSelector('=web'));
    badRequest(() => parseLabelSelector('app=web bad'));
    badRequest(() => parseLabelSelector('n>x'));
    expect(badRequest(() => parseLabelSelector('Bad_Key-=x')).message).toContain('name part must consist of alphanumeric');
    expect(badRequest(() => parseLabelSelector('a=b@c')).message).toContain('a valid label must be an empty string');
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  const m = (s: string): boolean => matchesLabels(parseLabelSelector(s), labels);
  it('matches like Kubernetes', () => {
    expect(m('app=web')).toBe(true);
    expect(m('app=db')).toBe(false);
    expect(m('app!=db')).toBe(true);
    expect(m('missing!=x')).toBe(true); // != matches absent keys
    expect(m('tier in (front,back)')).toBe(true);
    expect(m('tier notin (front)')).toBe(false);
    expect(m('missing notin (a)')).toBe(true);
    expect(m('missing in (a)')).toBe(false);
    expect(m('app')).toBe(true);
    expect(m('!app')).toBe(false);
    expect(m('!missing')).toBe(true);
    expect(m('n>4,n<6')).toBe(true);
    expect(m('n>5')).toBe(false);
    expect(m('app=web,tier=back')).toBe(false);
    expect(matchesLabels(parseLabelSelector('app'), undefined)).toBe(false);
  });
});

describe('labelSelectorFromObject and toString', () => {
  it('converts matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'old', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesLabels(sel, { app: 'web', tier: 'a' })).toBe(true);
    expect(matchesLabels(sel, { app: 'web', tier: 'a', old: 'y' })).toBe(false);
    expect(labelSelectorToString(sel)).toBe('app=web,!old,tier in (a,b)');
  });

  it('null selects everything (callers handle nil themselves)', () => {
    expect(labelSelectorFromObject(null)).toEqual([]);
  });

  it('rejects unknown operators and bad value sets', () => {
    expect(badRequest(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Foo' }] })).message).toBe(
      '"Foo" is not a valid label selector operator',
    );
    badRequest(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }));
    badRequest(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }));
  });

  it('round-trips through the string form', () => {
    const s = 'app=web,env notin (dev,qa),!legacy';
    expect(labelSelectorToString(parseLabelSelector(labelSelectorToString(parseLabelSelector(s))))).toBe(
      'app=web,env notin (dev,qa),!legacy',
    );
  });
});

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('metadata.name=x,status.phase!=Running,spec.nodeName==n1')).toEqual([
      { field: 'metadata.name', op: '=', value: 'x' },
      { field: 'status.phase', op: '!=', value: 'Running' },
      { field: 'spec.nodeName', op: '=', value: 'n1' },
    ]);
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([{ field: 'metadata.name', op: '=', value: 'a,b' }]);
    expect(parseFieldSelector('spec.nodeName=')).toEqual([{ field: 'spec.nodeName', op: '=', value: '' }]);
    expect(parseFieldSelector(undefined)).toEqual([]);
    badRequest(() => parseFieldSelector('metadata.name'));
  });

  it('checks supported fields per kind with the Kubernetes wording', () => {
    checkFieldSelectorSupported('Pod', parseFieldSelector('spec.nodeName=n1,status.phase=Running,metadata.namespace=d'));
    checkFieldSelectorSupported('Event', parseFieldSelector('involvedObject.name=web,involvedObject.uid=u,type=Warning'));
    checkFieldSelectorSupported('Secret', parseFieldSelector('type=Opaque'));
    checkFieldSelectorSupported('Node', parseFieldSelector('spec.unschedulable=false'));
    expect(badRequest(() => checkFieldSelectorSupported('ConfigMap', parseFieldSelector('spec.foo=x'))).message).toBe(
      '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(badRequest(() => checkFieldSelectorSupported('Pod', parseFieldSelector('spec.foo=x'))).message).toBe(
      'field label not supported: spec.foo',
    );
  });

  it('extracts object fields and matches', () => {
    const pod = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'n1', restartPolicy: 'Always' },
      status: { phase: 'Running' },
    };
    const f = objectFields('Pod', pod);
    expect(f['spec.nodeName']).toBe('n1');
    expect(f['status.podIP']).toBe('');
    expect(matchesFields(parseFieldSelector('spec.nodeName=n1,status.phase!=Succeeded'), f)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.name=other'), f)).toBe(false);
    const ev = objectFields('Event', {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' },
      type: 'Normal',
      source: { component: 'kubelet' },
    });
    expect(ev['involvedObject.uid']).toBe('u1');
    expect(ev.source).toBe('kubelet');
    expect(objectFields('ConfigMap', { metadata: { name: 'c' } })).toEqual({ 'metadata.name': 'c', 'metadata.namespace': '' });
  });
});
