/**
 * One model's columns under a prefix, so a plain-SQL statement (database/hot-path-sql.ts) can return several
 * models' rows flat and have them split again into what Prisma would have returned. The fields come
 * from Prisma's generated `<Model>ScalarFieldEnum`, so a column added to the schema is read here too
 * (the schema maps no field to another column name).
 */
export class ModelColumns<Model> {
  private readonly fields: readonly string[];
  /** Each field's column name in a row, built once: every authenticated request reads a row through here. */
  private readonly columns: readonly string[];

  constructor(
    private readonly prefix: string,
    fieldEnum: Readonly<Record<string, string>>,
  ) {
    this.fields = Object.values(fieldEnum);
    this.columns = this.fields.map((field) => `${prefix}.${field}`);
  }

  /** The select list for this model's table under `alias`: `s."id" AS "session.id", …`. */
  select(alias: string): string {
    return this.fields.map((field) => `${alias}."${field}" AS "${this.prefix}.${field}"`).join(', ');
  }

  read(row: Readonly<Record<string, unknown>>): Model {
    const model: Record<string, unknown> = {};
    for (let index = 0; index < this.fields.length; index++) model[this.fields[index]] = row[this.columns[index]];
    return model as Model;
  }
}
