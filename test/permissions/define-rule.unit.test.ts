import type { GraphQLResolveInfo } from 'graphql';
import { deny, rule } from 'graphql-shield';
import type { GraphQLContext } from '../../src/graphql/context';
import { allOf, anyOf, defineRule } from '../../src/permissions/define-rule';
import { guestAccessOf, metadataOf, tokenRequirementOf } from '../../src/permissions/rule-metadata';
import type { ShieldRule } from '../../src/permissions/rule-metadata';
import { isRequestWide, itemGrantsOf, requestWideGrants } from '../../src/permissions/rule-scope';

const SHIELD_OPTIONS = { debug: false, allowExternalErrors: true, fallbackRule: deny, hashFunction: () => 'key' };

/** What shield would answer for `shieldRule` on one field, with a fresh per-request cache. */
const answerOf = (shieldRule: ShieldRule, parent: object, context: Partial<GraphQLContext> = {}) =>
  shieldRule.resolve(parent, {}, { ...context, _shield: { cache: {} } }, {} as GraphQLResolveInfo, SHIELD_OPTIONS);

const requestRule = defineRule({ name: 'test:request', token: 'signed-in', guestAccess: 'verified', scope: 'request', check: () => true });
const askedRule = defineRule({ name: 'test:asked', token: 'none', guestAccess: 'open', scope: 'request', decideUpFront: false, check: () => true });
const argumentsRule = defineRule({ name: 'test:arguments', token: { feature: 'audit', operation: 'r' }, guestAccess: 'verified', scope: 'arguments', check: () => true });
const checked: string[] = [];
const itemRule = defineRule({
  name: 'test:item',
  token: { feature: 'members', operation: 'u' },
  guestAccess: 'own',
  scope: 'item',
  grant: (item: { id: string }) => item.id === 'known',
  check: async (item) => {
    checked.push(item.id);
    return item.id === 'found';
  },
});

describe('defineRule', () => {
  it('attaches the token requirement each declaration names', () => {
    expect(tokenRequirementOf(askedRule)).toEqual({ signedIn: false, scopes: null });
    expect(tokenRequirementOf(requestRule)).toEqual({ signedIn: true, scopes: null });
    expect(tokenRequirementOf(argumentsRule)).toEqual({ signedIn: true, scopes: [['audit:r']] });
  });

  it('makes request-scoped rules request-wide unless they opt out, and no other', () => {
    expect(isRequestWide(requestRule)).toBe(true);
    expect([askedRule, argumentsRule, itemRule].some(isRequestWide)).toBe(false);
  });

  it("runs an item rule's check only where its grant did not pass, and exposes the grant", async () => {
    checked.length = 0;

    expect(await answerOf(itemRule, { id: 'known' })).toBe(true);
    expect(await answerOf(itemRule, { id: 'found' })).toBe(true);
    expect(await answerOf(itemRule, { id: 'stranger' })).toBe(false);
    expect(checked).toEqual(['found', 'stranger']);
    expect(metadataOf(itemRule).itemGrant?.({ id: 'known' }, {} as GraphQLContext)).toBe(true);
  });

  it('refuses a rule built with shield alone: it declares nothing', () => {
    expect(() => metadataOf(rule()(() => true))).toThrow(/defineRule/);
  });
});

describe('allOf and anyOf', () => {
  it('need, together, what any part needs and admit guests where the strictest part does', () => {
    const both = allOf(requestRule, itemRule);

    expect(tokenRequirementOf(both)).toEqual({ signedIn: true, scopes: [['members:u']] });
    expect(guestAccessOf(both)).toBe('verified');
    expect(isRequestWide(both)).toBe(false);
    expect(isRequestWide(allOf(requestRule, requestRule))).toBe(true);
  });

  it('need, as alternatives, only what every part needs and admit guests where the loosest part does', () => {
    const either = anyOf(requestRule, itemRule);

    expect(tokenRequirementOf(either)).toEqual({ signedIn: true, scopes: null });
    expect(tokenRequirementOf(anyOf(argumentsRule, itemRule))).toEqual({ signedIn: true, scopes: [['audit:r'], ['members:u']] });
    expect(guestAccessOf(either)).toBe('own');
    expect(requestWideGrants(either)).toEqual([requestRule]);
    expect(itemGrantsOf(either)).toHaveLength(1);
  });
});
