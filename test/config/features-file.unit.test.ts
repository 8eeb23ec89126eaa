import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { temporaryDirectory } from '../support/temporary-directories';

/** Writes `content` as a features file named `name` and loads the configuration with it. */
function loadWithFeatures(name: string, content: string) {
  const directory = temporaryDirectory('features-file');
  const file = path.join(directory, name);
  writeFileSync(file, content);
  return () => loadConfig({ DATA_DIR: directory, FEATURES_FILE: file });
}

const messageOf = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('loadConfig accepted the features file');
};

describe('the features file (FEATURES_FILE)', () => {
  it('reads YAML and JSON alike, with operations put in "crud" order', () => {
    const yaml = loadWithFeatures('features.yaml', 'features:\n  - name: projects\n    operations: urc\n    roles: { admin: rc, member: r }\n')();
    const json = loadWithFeatures('features.json', JSON.stringify({ features: [{ name: 'projects', operations: 'urc', roles: { admin: 'rc', member: 'r' } }] }))();

    expect(yaml.features).toEqual([{ name: 'projects', description: '', operations: 'cru', builtIn: false, builtInRoleAccess: { admin: 'cr', member: 'r' } }]);
    expect(json.features).toEqual(yaml.features);
  });

  it('without the variable declares no application feature', () => {
    expect(loadConfig({ DATA_DIR: temporaryDirectory('features-file') }).features).toEqual([]);
  });

  it('names every mistake with its place in the file, and refuses to start', () => {
    const message = messageOf(
      loadWithFeatures(
        'features.yaml',
        [
          'features:',
          '  - name: members', // Gatehouse's own
          '    operations: r',
          '  - name: Projects!',
          '    operations: crud',
          '  - name: invoices',
          '    operations: r',
          '    roles: { member: rw, superuser: r }',
          '  - name: reports',
          '    operations: r',
          '    roles: { admin: cr }',
          '  - name: reports',
          '    operations: r',
        ].join('\n'),
      ),
    );

    expect(message).toMatch(/FEATURES_FILE: .*features\.0\.name: is one of Gatehouse's own features/);
    expect(message).toMatch(/features\.1\.name: must be lower case/);
    expect(message).toMatch(/features\.2\.roles\.member: must be letters of "crud"/);
    expect(message).toMatch(/features\.2\.roles: .*superuser/);
    expect(message).toMatch(/features\.3\.roles\.admin: grants more than the feature's operations "r"/);
    expect(message).toMatch(/features\.4\.name: is declared twice/);
  });

  it('says plainly when the file is missing or is not YAML', () => {
    const directory = temporaryDirectory('features-file');
    const missing = path.join(directory, 'nope.yaml');

    expect(messageOf(() => loadConfig({ DATA_DIR: directory, FEATURES_FILE: missing }))).toContain(`FEATURES_FILE: cannot read ${missing} (ENOENT)`);
    expect(messageOf(loadWithFeatures('broken.yaml', 'features: [ { name: x'))).toMatch(/FEATURES_FILE: .*broken\.yaml is not valid YAML or JSON/);
  });
});

describe('the example features file (examples/features.yaml)', () => {
  it('loads as the README shows it', () => {
    const config = loadConfig({ DATA_DIR: temporaryDirectory('features-file'), FEATURES_FILE: path.join(__dirname, '..', '..', 'examples', 'features.yaml') });

    expect(config.features.map((feature) => feature.name)).toEqual(['projects', 'invoices', 'billing']);
  });
});
