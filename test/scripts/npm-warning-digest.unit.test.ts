import path from 'node:path';

/**
 * scripts/npm-warning-digest.js: a first `npm ci` printed 209 warning lines, nearly all of two known
 * kinds. The lines below are npm 11's, as it printed them for this project (shortened to one package
 * of each kind, plus one warning of another kind).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JS script without types (scripts/ runs before anything is built)
const { createNpmWarningDigest } = require(path.resolve(__dirname, '..', '..', 'scripts', 'npm-warning-digest.js')) as {
  createNpmWarningDigest(): { take(line: string): string | null; summary(): string[] };
};

const NPM_CI_OUTPUT = `npm warn ERESOLVE overriding peer dependency
npm warn While resolving: graphiql@0.17.5
npm warn Found: graphql@15.11.0
npm warn node_modules/graphql-playground-react/node_modules/graphql
npm warn   graphql@"^15.3.0" from graphql-playground-react@1.7.28
npm warn
npm warn Could not resolve dependency:
npm warn peer graphql@"^0.12.0 || ^0.13.0 || ^14.0.0" from graphiql@0.17.5
npm warn
npm warn Conflicting peer dependency: graphql@14.7.0
npm warn node_modules/graphql
npm warn EBADENGINE Unsupported engine {
npm warn EBADENGINE   package: 'listr2@10.2.2',
npm warn EBADENGINE   required: { node: '>=22.13.0' },
npm warn EBADENGINE   current: { node: 'v20.20.2', npm: '11.19.1' }
npm warn EBADENGINE }
npm warn EBADENGINE Unsupported engine {
npm warn EBADENGINE   package: 'listr2@10.2.2',
npm warn EBADENGINE   required: { node: '>=22.13.0' },
npm warn EBADENGINE   current: { node: 'v20.20.2', npm: '11.19.1' }
npm warn EBADENGINE }
npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.

> gatehouse@0.1.0 postinstall
added 1387 packages in 1m`;

describe("npm's warnings on install", () => {
  it('gathers engine ranges and peer conflicts into one line each, naming the packages, and lets everything else through', () => {
    const digest = createNpmWarningDigest();
    const shown = NPM_CI_OUTPUT.split('\n').flatMap((line) => digest.take(line) ?? []);
    expect(shown).toEqual([
      'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
      '',
      '> gatehouse@0.1.0 postinstall',
      'added 1387 packages in 1m',
    ]);
    const summary = digest.summary();
    expect(summary).toHaveLength(3);
    expect(summary[0]).toContain('a newer Node.js than this');
    expect(summary[0]).toContain('listr2@10.2.2 (node: >=22.13.0)');
    expect(summary[1]).toContain('peer-dependency ranges not met');
    expect(summary[1]).toContain('graphiql@0.17.5');
    expect(summary[2]).toContain('README.md, Troubleshooting');
  });

  it('says nothing when npm warned of neither', () => {
    const digest = createNpmWarningDigest();
    expect(digest.take('added 3 packages in 2s')).toBe('added 3 packages in 2s');
    expect(digest.summary()).toEqual([]);
  });
});
