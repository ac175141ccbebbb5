import { join } from 'node:path';
import {
  DuckDBArrayType,
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBListType,
  DuckDBStructType,
  type DuckDBType,
  DuckDBTypeId,
  type Json,
} from '@duckdb/node-api';
import { TABLES, type TableDefinition } from '../lambda/tables/catalog';
import { duckdbType, quoteIdentifier } from '../lambda/tables/column-types';

/**
 * The tables over the local archive, quarantine and fallback, in DuckDB: one view per table reading the S3
 * emulator's files directly (s3rver keeps each object as `<key>._S3rver_object`), with the
 * catalog's column names and types — the same as the Glue tables in AWS — and the partition
 * columns read from the key path. Used by `npm run query` and the end-to-end tests.
 */

export interface LocalTablesLocation {
  /** The bucket's folder in the S3 emulator's data folder, e.g. `.local/s3/clickstream-local`. */
  readonly bucketDirectory: string;
  /** e.g. `archive/` */
  readonly archivePrefix: string;
  /** e.g. `tables/` */
  readonly tablesPrefix: string;
  /** e.g. `quarantine/` */
  readonly quarantinePrefix: string;
  /** e.g. `fallback/` */
  readonly fallbackPrefix: string;
}

export type JsonCell = string | number | boolean | null | bigint | JsonCell[] | { [key: string]: JsonCell };

export interface QueryResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly Record<string, JsonCell>[];
}

const S3RVER_OBJECT_SUFFIX = '._S3rver_object';

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Every object of a table: one file per object, at the depth of its partition keys. */
function tableFilePattern(table: TableDefinition, location: LocalTablesLocation): string {
  const prefixes = {
    archive: location.archivePrefix,
    quarantine: location.quarantinePrefix,
    fallback: location.fallbackPrefix,
  } as const;
  const root =
    table.source === 'tables'
      ? join(location.bucketDirectory, location.tablesPrefix, table.name)
      : join(location.bucketDirectory, prefixes[table.source]);
  // `key=*` per level, so no other object of the bucket (the health probe's, say) can match.
  const partitions = table.partitionKeys.map((key) => `${key}=*`);
  return join(root, ...partitions, `*${S3RVER_OBJECT_SUFFIX}`);
}

function readerSql(table: TableDefinition, location: LocalTablesLocation): string {
  const columns = table.columns
    .map((column) => `${sqlString(column.name)}: ${sqlString(duckdbType(column.type))}`)
    .join(', ');
  const selected = [...table.columns.map((column) => column.name), ...table.partitionKeys].map(
    quoteIdentifier,
  );
  return (
    `SELECT ${selected.join(', ')} FROM read_json(${sqlString(tableFilePattern(table, location))}, format = 'newline_delimited', ` +
    `compression = 'gzip', hive_partitioning = true, hive_types_autocast = false, columns = {${columns}})`
  );
}

/** The same columns and no rows, for a table with no object yet. */
function emptySql(table: TableDefinition): string {
  const columns = [
    ...table.columns.map(
      (column) => `CAST(NULL AS ${duckdbType(column.type)}) AS ${quoteIdentifier(column.name)}`,
    ),
    ...table.partitionKeys.map((key) => `CAST(NULL AS VARCHAR) AS ${quoteIdentifier(key)}`),
  ];
  return `SELECT ${columns.join(', ')} WHERE false`;
}

async function createViews(connection: DuckDBConnection, location: LocalTablesLocation): Promise<void> {
  for (const table of TABLES) {
    const name = quoteIdentifier(table.name);
    try {
      await connection.run(`CREATE OR REPLACE VIEW ${name} AS ${readerSql(table, location)}`);
    } catch (error) {
      if (!(error instanceof Error) || !/no files found/i.test(error.message)) throw error;
      await connection.run(`CREATE OR REPLACE VIEW ${name} AS ${emptySql(table)}`);
    }
  }
}

const WIDE_INTEGERS = new Set([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

/** DuckDB's JSON form writes 64-bit integers as strings; give them back as numbers (bigints past 2^53). */
function withIntegers(value: Json | undefined, type: DuckDBType): JsonCell {
  if (value === null || value === undefined) return null;
  if (WIDE_INTEGERS.has(type.typeId) && typeof value === 'string' && /^-?\d+$/.test(value)) {
    const big = BigInt(value);
    return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  if ((type instanceof DuckDBListType || type instanceof DuckDBArrayType) && Array.isArray(value)) {
    return value.map((item) => withIntegers(item, type.valueType));
  }
  if (type instanceof DuckDBStructType && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const index = type.entryIndexes[key];
        const itemType = index === undefined ? undefined : type.entryTypes[index];
        return [key, itemType === undefined ? item : withIntegers(item, itemType)];
      }),
    );
  }
  return value;
}

/** A file being written by the emulator right now reads as corrupt gzip or JSON: read again. */
const RETRIES = 3;
const RETRY_DELAY_MS = 250;

async function runOnce(sql: string, location: LocalTablesLocation): Promise<QueryResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await createViews(connection, location);
    const reader = await connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const rows = (await reader.getRowObjectsJson()).map((row) =>
      Object.fromEntries(
        names.map((name, index) => {
          const type = types[index];
          return [name, type === undefined ? null : withIntegers(row[name], type)];
        }),
      ),
    );
    return { columns: names.map((name, index) => ({ name, type: String(types[index]) })), rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs one SQL statement over the five tables of the local archive. Throws on bad SQL. */
export async function queryLocalTables(sql: string, location: LocalTablesLocation): Promise<QueryResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runOnce(sql, location);
    } catch (error) {
      const transient =
        error instanceof Error && /gzip|malformed json|unexpected end|invalid json/i.test(error.message);
      if (!transient || attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}
