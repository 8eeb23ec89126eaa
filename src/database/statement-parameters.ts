/**
 * A plain-SQL statement's parameters by name (database/hot-path-sql.ts). PostgreSQL numbers them
 * (`$1`, `$2`, …); here each number is handed out once, when the statement's text is written at module
 * load, together with how its value is read from the caller's named object. The text then holds
 * `${placeholders.userId}` instead of a number, and `values` builds the array in the same order:
 * nobody keeps a number and an array position in step by hand, and the text, which names the prepared
 * statement, is built once.
 */
export class StatementParameters<Input> {
  private readonly readers: ((input: Input) => unknown)[] = [];

  /** A placeholder for each of the input's fields named, numbered in the order given. */
  fields<Name extends keyof Input & string>(...names: readonly Name[]): Readonly<Record<Name, string>> {
    const placeholders = {} as Record<Name, string>;
    for (const name of names) placeholders[name] = this.add((input) => input[name]);
    return placeholders;
  }

  /** The next placeholder, whose value `read` takes from the input (a nested field, a value converted for SQL). */
  add(read: (input: Input) => unknown): string {
    return `$${this.readers.push(read)}`;
  }

  /** The parameter array for one run of the statement. */
  values(input: Input): unknown[] {
    return this.readers.map((read) => read(input));
  }
}
