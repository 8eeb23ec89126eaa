/**
 * The architecture, checked by `npm run lint` (and CI): no import cycle between files or between folders
 * (type-only imports count), and no import that climbs the layers below. A feature folder holds its
 * resolvers too, so a folder's layer is set by everything in it: plumbing every resolver uses sits low,
 * the login flow high, the transport and the entry points at the top.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Lowest first. A folder may import folders of lower layers only (and itself). */
const LAYERS = [
  ['identity', 'metrics'], // who calls, from where, and what they may do: plain values; what the service counts (prom-client only once loaded)
  ['graphql'], // plumbing every resolver uses: context type, viewer helpers, loaders, input validation
  ['tokens', 'accounts', 'audit'], // token formats and keys; the account, role and membership model; the audit log
  ['config'], // the environment, validated once (it parses key material with tokens/)
  ['abuse', 'database', 'tracing'], // rate limits and locks; Prisma, the plain-SQL handles, migrations; OpenTelemetry, loaded only when configured
  ['sessions', 'email', 'startup'],
  ['passwords', 'users', 'development-mail', 'permissions', 'session-events'], // session-events: the sockets of `sessionEvents` and the signals that judge them
  ['two-factor', 'members', 'federation', 'user-lifecycle'], // user-lifecycle: changing the address, deleting the user (needs passwords/ and users/)
  ['auth', 'roles', 'webhooks'], // every step from credentials to a session grant; an account's own roles; webhook endpoints and delivery
  ['invitations', 'account-lifecycle'], // account-lifecycle: creating (from a login's selection too), leaving, handing on, deleting accounts
  ['http', 'commands'], // the transport and the command-line entry points
];

const folders = LAYERS.flat();
const escapeForRegex = (name) => name.replace(/[-]/g, '\\-');
const layerRules = LAYERS.flatMap((layer, index) => {
  const higher = LAYERS.slice(index + 1).flat();
  const sameLayer = layer;
  return layer.map((folder) => ({
    name: `layer-${folder}`,
    comment: `src/${folder}/ sits in layer ${index}: it may not import ${[...sameLayer.filter((other) => other !== folder), ...higher].join(', ')}`,
    severity: 'error',
    from: { path: `^src/${escapeForRegex(folder)}/` },
    to: { path: `^src/(${[...sameLayer.filter((other) => other !== folder), ...higher].map(escapeForRegex).join('|')})/` },
  }));
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'No file imports a file that imports it back, type-only imports included.', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-folder-cycle',
      comment: 'No folder imports a folder that imports it back, type-only imports included.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'known-folders',
      comment: 'Every folder of src/ has a place in LAYERS (.dependency-cruiser.cjs): a new one is placed on purpose.',
      severity: 'error',
      from: {},
      to: { path: '^src/[^/]+/', pathNot: `^src/(${[...folders, 'generated'].map(escapeForRegex).join('|')})/` },
    },
    {
      name: 'kernel-stays-small',
      comment: 'errors.ts and clock.ts are below everything: they import no folder of src/.',
      severity: 'error',
      from: { path: '^src/(errors|clock)\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: '^src/generated/' },
    },
    {
      name: 'composition-root-on-top',
      comment:
        'No folder imports the composition roots (app.ts, services.ts, schema.ts) or main.ts but the command-line entry points: a resolver names the services it uses (GraphQLContext<…>), so its imports show what it reaches.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: '^src/commands/' },
      to: { path: '^src/(app|services|schema|main)\\.ts$' },
    },
    ...layerRules,
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
  },
};
