import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BuiltInRole } from '../accounts/built-in-roles';
import { canonicalAccess, GATEHOUSE_FEATURES } from '../accounts/features';
import type { FeatureDefinition } from '../accounts/features';
import type { ReportProblem } from './config-error';

const VARIABLE = 'FEATURES_FILE';
const MAX_FEATURES = 200;

const accessField = z
  .string()
  .regex(/^[crud]{1,4}$/, 'must be letters of "crud"')
  .transform(canonicalAccess);

const featureSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,47}$/, 'must be lower case letters, digits, "-" or "_", starting with a letter, at most 48 characters')
      .refine((name) => !GATEHOUSE_FEATURES.some((feature) => feature.name === name), 'is one of Gatehouse\'s own features'),
    description: z.string().trim().max(500).default(''),
    operations: accessField,
    roles: z
      .object({ owner: accessField, admin: accessField, member: accessField, guest: accessField })
      .partial()
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((feature, context) => {
    for (const [role, access] of Object.entries(feature.roles)) {
      if ([...access].some((operation) => !feature.operations.includes(operation))) {
        context.addIssue({ code: 'custom', path: ['roles', role], message: `grants more than the feature's operations "${feature.operations}"` });
      }
    }
  });

const featuresFileSchema = z
  .object({ features: z.array(featureSchema).max(MAX_FEATURES) })
  .strict()
  .superRefine(({ features }, context) => {
    const seen = new Set<string>();
    features.forEach((feature, index) => {
      if (seen.has(feature.name)) context.addIssue({ code: 'custom', path: ['features', index, 'name'], message: 'is declared twice' });
      seen.add(feature.name);
    });
  });

/**
 * The application's features (FEATURES_FILE, YAML or JSON: JSON is YAML), read and checked once at
 * start: which operations each supports and what the built-in roles hold on it. Every mistake is
 * reported with its place in the file (`features.1.roles.member: …`), never with the file's content.
 */
export function readFeaturesFile(path: string | undefined, report: ReportProblem): FeatureDefinition[] {
  if (path === undefined) return [];
  let text: string;
  let document: unknown;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    report(VARIABLE, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return [];
  }
  // yaml (72 modules, 20-40 ms of every start) only for a service that has a features file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- loaded only when configured
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
  try {
    document = parseYaml(text);
  } catch {
    report(VARIABLE, `${path} is not valid YAML or JSON`);
    return [];
  }
  const parsed = featuresFileSchema.safeParse(document);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(VARIABLE, `${path}: ${issue.path.join('.') || 'the document'}: ${issue.message}`);
    return [];
  }
  return parsed.data.features.map((feature) => ({
    name: feature.name,
    description: feature.description,
    operations: feature.operations,
    builtIn: false,
    builtInRoleAccess: Object.fromEntries(Object.entries(feature.roles).filter(([role, access]) => Object.hasOwn(BuiltInRole, role) && access !== '')),
  }));
}
