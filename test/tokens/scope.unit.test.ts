import { formatScope } from '../../src/tokens/scope';

describe('formatScope', () => {
  it('writes each granted operation as feature:operation, features in code-unit order, operations c r u d', () => {
    const scope = formatScope([
      { feature: 'members', access: 'cr' },
      { feature: 'account', access: 'rud' },
      { feature: 'Zeta', access: 'r' },
    ]);

    expect(scope).toBe('Zeta:r account:r account:u account:d members:c members:r');
  });

  it('gives the same string whatever order the permissions come in', () => {
    const permissions = [
      { feature: 'billing', access: 'crud' },
      { feature: 'audit', access: 'r' },
      { feature: 'members', access: 'r' },
    ];

    expect(formatScope([...permissions].reverse())).toBe(formatScope(permissions));
  });

  it('is null when nothing is granted, so the claim is left out', () => {
    expect(formatScope([])).toBeNull();
    expect(formatScope([{ feature: 'members', access: '' }])).toBeNull();
  });
});
