/**
 * The column types the tables use, as data: one description renders to the Glue/Athena (Hive)
 * type, to the DuckDB type of the local query tool, and (type-level) to the TypeScript type of a
 * row, so the three cannot drift apart.
 */

type ScalarKind = 'string' | 'bigint' | 'double' | 'float' | 'date';

export type ColumnType =
  | { readonly kind: ScalarKind }
  | { readonly kind: 'struct'; readonly fields: readonly Column[] }
  | { readonly kind: 'array'; readonly of: ColumnType };

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** One line for the README and the Glue column comment. */
  readonly doc: string;
}

export const STRING = { kind: 'string' } as const;
export const BIGINT = { kind: 'bigint' } as const;
export const DOUBLE = { kind: 'double' } as const;
export const FLOAT = { kind: 'float' } as const;
export const DATE = { kind: 'date' } as const;

export const struct = <const F extends readonly Column[]>(fields: F) => ({ kind: 'struct', fields }) as const;
export const arrayOf = <const T extends ColumnType>(of: T) => ({ kind: 'array', of }) as const;
export const column = <const N extends string, const T extends ColumnType>(name: N, type: T, doc: string) =>
  ({ name, type, doc }) as const;

/** `struct<a:string,b:bigint>`, `array<string>`: the type string of a Glue column. */
export function glueType(type: ColumnType): string {
  switch (type.kind) {
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}:${glueType(field.type)}`).join(',')}>`;
    case 'array':
      return `array<${glueType(type.of)}>`;
    default:
      return type.kind;
  }
}

const DUCKDB_SCALARS: Record<ScalarKind, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  float: 'FLOAT',
  date: 'DATE',
};

/** Identifiers are quoted: `_first_referer` and `user` are fine in DuckDB only quoted. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `STRUCT("a" VARCHAR, "b" BIGINT)`, `VARCHAR[]`: the same type in DuckDB. */
export function duckdbType(type: ColumnType): string {
  switch (type.kind) {
    case 'struct':
      return `STRUCT(${type.fields.map((field) => `${quoteIdentifier(field.name)} ${duckdbType(field.type)}`).join(', ')})`;
    case 'array':
      return `${duckdbType(type.of)}[]`;
    default:
      return DUCKDB_SCALARS[type.kind];
  }
}

export { quoteIdentifier };

/** A 64-bit integer: a JS number while it is safe, a bigint beyond (written as exact digits). */
export type Int64 = number | bigint;

type ScalarValue<K extends ScalarKind> = K extends 'string'
  ? string
  : K extends 'bigint'
    ? Int64
    : K extends 'date'
      ? string
      : number;

/** The TypeScript value of a column of type `T`; every column may be null. */
type ValueOf<T extends ColumnType> = T extends { readonly kind: 'struct'; readonly fields: infer F }
  ? F extends readonly Column[]
    ? RowOf<F> | null
    : never
  : T extends { readonly kind: 'array'; readonly of: infer E }
    ? E extends ColumnType
      ? NonNullable<ValueOf<E>>[] | null
      : never
    : T extends { readonly kind: infer K }
      ? K extends ScalarKind
        ? ScalarValue<K> | null
        : never
      : never;

/** A row of a table with these columns: every column present, missing values null. */
export type RowOf<C extends readonly Column[]> = {
  [Entry in C[number] as Entry['name']]: ValueOf<Entry['type']>;
};
