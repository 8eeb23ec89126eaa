/** The roles every account has, seeded by a migration; an account's own roles sit beside them (AccountRole). */
export const BuiltInRole = { owner: 'owner', admin: 'admin', member: 'member', guest: 'guest' } as const;
export type BuiltInRoleName = (typeof BuiltInRole)[keyof typeof BuiltInRole];

export const isBuiltInRole = (name: string): name is BuiltInRoleName => Object.hasOwn(BuiltInRole, name);
