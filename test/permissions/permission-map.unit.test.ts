import { isObjectType } from 'graphql';
import { permissionMap } from '../../src/permissions/permissions';
import { buildGatehouseSchema } from '../../src/schema';

const ruleTable = permissionMap as Record<string, Record<string, unknown>>;

describe('the permission map', () => {
  it('names an explicit rule for every field of every object type', async () => {
    const schema = await buildGatehouseSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) {
        if (ruleTable[type.name]?.[field] === undefined) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names no field the schema does not have', async () => {
    const schema = await buildGatehouseSchema();
    const unknown: string[] = [];
    for (const [typeName, fields] of Object.entries(ruleTable)) {
      const type = schema.getType(typeName);
      for (const field of Object.keys(fields)) {
        if (!isObjectType(type) || !type.getFields()[field]) unknown.push(`${typeName}.${field}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
