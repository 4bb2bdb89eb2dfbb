import { describe, expect, it } from 'vitest';
import { expand, mappingFor } from '../../../../agent/container-config/expand.js';

const m = mappingFor(new Map([['A', 'alpha'], ['B', 'beta']]), new Map([['A', 'shadowed'], ['S', 'svc']]));

describe('$(VAR) expansion', () => {
  it('replaces known references, first context wins', () => {
    expect(expand('$(A)-$(B)-$(S)', m)).toBe('alpha-beta-svc');
  });
  it('leaves unknown references as written', () => {
    expect(expand('x$(NOPE)y', m)).toBe('x$(NOPE)y');
  });
  it('treats $$ as an escaped $', () => {
    expect(expand('$$(A)', m)).toBe('$(A)');
    expect(expand('$$$(A)', m)).toBe('$alpha');
    expect(expand('cost $$5', m)).toBe('cost $5');
  });
  it('copies incomplete references and lone operators literally', () => {
    expect(expand('$(A', m)).toBe('$(A');
    expect(expand('a$b', m)).toBe('a$b');
    expect(expand('end$', m)).toBe('end$');
    expect(expand('$()', m)).toBe('$()');
  });
});
