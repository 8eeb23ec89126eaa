import { permits } from '../../src/identity/permission';
import type { ActingMemberCheck } from '../../src/members/acting-member';
import { defineRule } from '../../src/permissions/define-rule';
import { tokenRequirementOf } from '../../src/permissions/rule-metadata';
import { canInArgumentAccount, canInParentAccount } from '../../src/permissions/rules';

// Type-checked, never run: tsc fails on an @ts-expect-error with no error to expect, so each line below
// proves that what it misspells does not compile (npx tsc -p tsconfig.json --noEmit, run in CI).
void (() => {
  // @ts-expect-error 'member' is not a feature: 'members' is.
  permits([], 'member', 'r');
  // @ts-expect-error 'read' is not an operation: 'r' is.
  permits([], 'members', 'read');
  // @ts-expect-error the permission map's account-scoped rules take the same vocabulary.
  canInArgumentAccount('audits', 'r');
  // @ts-expect-error a rule's token names a feature:operation from it too.
  defineRule({ name: 'misspelt', token: { feature: 'member', operation: 'u' }, guestAccess: 'verified', scope: 'request', check: () => true });
  // @ts-expect-error and so does the acting member's check under the account's lock.
  const check: ActingMemberCheck = { userId: '', accountId: '', feature: 'invitation', operation: 'c' };
  return check;
});

describe('the feature:operation vocabulary', () => {
  it('grants an operation only where a permission of that feature lists it', () => {
    const access = [
      { feature: 'members', access: 'cr' },
      { feature: 'audit', access: 'r' },
    ];

    expect(permits(access, 'members', 'r')).toBe(true);
    expect(permits(access, 'members', 'u')).toBe(false);
    expect(permits(access, 'roles', 'r')).toBe(false);
    expect(permits([], 'members', 'r')).toBe(false);
  });

  it("makes a rule's right the scope its token must carry", () => {
    expect(tokenRequirementOf(canInParentAccount('roles', 'd'))).toEqual({ signedIn: true, scopes: [['roles:d']] });
  });
});
