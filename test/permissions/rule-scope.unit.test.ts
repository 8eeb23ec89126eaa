import { allow } from 'graphql-shield';
import { permissionMap } from '../../src/permissions/permissions';
import { isRequestWide, itemGrantsOf, requestWideGrants } from '../../src/permissions/rule-scope';
import { hasNoRefusedToken, isAdminOfSharedAccount, isAuthenticated, isMemberOfAccount, isOwnMembership, isSelf, isVerified } from '../../src/permissions/rules';

describe('which rules are decided once per request', () => {
  it('counts the rules that read only the request as request-wide, and none that read the parent', () => {
    expect([allow, isAuthenticated, isVerified, hasNoRefusedToken].every(isRequestWide)).toBe(true);
    expect([isSelf, isAdminOfSharedAccount, isOwnMembership, isMemberOfAccount].some(isRequestWide)).toBe(false);
  });

  it('lets a request-wide alternative grant a list item field, and leaves per-item rules to each item', () => {
    expect(requestWideGrants(permissionMap.User.id)).toEqual([isVerified]);
    expect(requestWideGrants(permissionMap.Membership.role)).toEqual([isVerified]);
    expect(requestWideGrants(permissionMap.Account.name)).toEqual([isVerified]);
    expect(requestWideGrants(permissionMap.User.email)).toEqual([]);
    expect(requestWideGrants(permissionMap.Account.members)).toEqual([]);
  });

  it('gives the per-item rules of list item fields a synchronous grant to try before shield', () => {
    expect(itemGrantsOf(permissionMap.User.email)).toHaveLength(2);
    expect(itemGrantsOf(permissionMap.User.id)).toHaveLength(1);
    expect(itemGrantsOf(permissionMap.Membership.role)).toHaveLength(1);
    expect(itemGrantsOf(permissionMap.Account.name)).toHaveLength(1);
    expect(itemGrantsOf(permissionMap.Account.members)).toEqual([]);
  });

  it('counts an allOf as request-wide only when every part is', () => {
    expect(isRequestWide(permissionMap.Query.authEvents)).toBe(false);
  });
});
