import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  formatLabels,
  humanDuration,
  listWithMore,
  selectorString,
  since,
} from '../../../../../apiserver/http/table/format.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-2500, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [3 * M + 12 * S, '3m12s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [731 * D, '2y1d'],
    [8 * 365 * D + 40 * D, '8y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it('since() prints <unknown> without a timestamp', () => {
    const now = new Date('2024-01-01T00:10:00Z');
    expect(since(undefined, now)).toBe('<unknown>');
    expect(since(null, now)).toBe('<unknown>');
    expect(since('2024-01-01T00:05:00Z', now)).toBe('5m');
  });
});

describe('label formatting', () => {
  it('formatLabels sorts keys and prints <none> when empty', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('selectors render like metav1.LabelSelectorAsSelector', () => {
    expect(
      selectorString({
        matchLabels: { tier: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
          { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
        ],
      }),
    ).toBe('app,env in (dev,prod),!legacy,tier=web,zone notin (a,b)');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] })).toBe('<error>');
  });

  it('listWithMore caps at 3', () => {
    expect(listWithMore(['a', 'b', 'c', 'd', 'e'])).toBe('a,b,c + 2 more...');
    expect(listWithMore([])).toBe('<unset>');
  });
});
