import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableSource } from '../lambda/tables/catalog';
import { glueType } from '../lambda/tables/column-types';

export interface EventTablesProps {
  /** The archive bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the raw archive (ends with "/"). */
  readonly archivePrefix: string;
  /** Key prefix of the flattened tables (ends with "/"). */
  readonly tablesPrefix: string;
  /** Key prefix of the collector's quarantine (ends with "/"). */
  readonly quarantinePrefix: string;
  /** Key prefix of the collector's fallback (ends with "/"). */
  readonly fallbackPrefix: string;
  /**
   * Name of the Glue database (lowercase letters, digits and "_").
   * @default 'clickstream'
   */
  readonly databaseName?: string;
  /**
   * First year the partition projections cover; the last is the current year.
   * @default 2025
   */
  readonly firstYear?: number;
}

const NAME = /^[a-z0-9_]{1,255}$/;

/** The Glue column of a catalog column (comments are limited to 255 characters). */
function glueColumn(column: TableDefinition['columns'][number]): glue.CfnTable.ColumnProperty {
  return { name: column.name, type: glueType(column.type), comment: column.doc.slice(0, 255) };
}

/**
 * The Glue database and the tables Athena queries — `ingestion_events` over the raw archive,
 * `event`, `event_parameter`, `user` and `item` over the flattened rows, `quarantine` and `fallback`
 * over the collector's own prefixes — with their columns from
 * the one catalog (lambda/tables/catalog.ts). Partition projection (no crawler, no `MSCK REPAIR`):
 * year/month/day/hour for the raw archive, the quarantine and the fallback; app and day (CAoA's `partition_app`, `partition_year`,
 * `partition_month`, `partition_day`) for the others, so the tables answer right after deployment.
 * Queries of the four event tables name their app (`WHERE partition_app = '…'`).
 */
export class EventTables extends Construct {
  public readonly database: glue.CfnDatabase;
  /** Each table by name. */
  public readonly tables: Readonly<Record<string, glue.CfnTable>>;
  public readonly databaseName: string;

  constructor(scope: Construct, id: string, props: EventTablesProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? 'clickstream';
    const firstYear = props.firstYear ?? 2025;
    if (!NAME.test(this.databaseName)) {
      throw new Error(
        `EventTables: databaseName "${this.databaseName}" may hold lowercase letters, digits and "_" only`,
      );
    }

    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: 'Clickstream collector: raw archive and event tables',
      },
    });

    const bucketUrl = `s3://${props.bucket.bucketName}/`;
    const tables: Record<string, glue.CfnTable> = {};
    const prefixes: Readonly<Record<TableSource, string>> = {
      archive: props.archivePrefix,
      tables: props.tablesPrefix,
      quarantine: props.quarantinePrefix,
      fallback: props.fallbackPrefix,
    };
    for (const table of TABLES) {
      const location =
        table.source === 'tables'
          ? `${bucketUrl}${props.tablesPrefix}${table.name}/`
          : `${bucketUrl}${prefixes[table.source]}`;
      const cfn = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: account,
        databaseName: this.databaseName,
        tableInput: {
          name: table.name,
          description: table.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'json',
            compressionType: 'gzip',
            ...projection(table, location, firstYear),
          },
          partitionKeys: table.partitionKeys.map((name) => ({ name, type: 'string' })),
          storageDescriptor: {
            location,
            columns: table.columns.map(glueColumn),
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            compressed: true,
            serdeInfo: serde(table),
          },
        },
      });
      cfn.addResourceDependency(this.database);
      tables[table.name] = cfn;
    }
    this.tables = tables;
  }

  /** `database.table` for each table, as typed in an Athena query. */
  public get qualifiedNames(): string[] {
    return TABLES.map((table) => `${this.databaseName}.${table.name}`);
  }

  /** The catalog ARNs of the tables (for IAM policies of readers). */
  public get tableArns(): string[] {
    return TABLES.map(
      (table) =>
        `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${this.databaseName}/${table.name}`,
    );
  }
}

function serde(table: TableDefinition): glue.CfnTable.SerdeInfoProperty {
  if (table.source !== 'tables') {
    // The raw records have a camel-case key (`appId`) and hold client text; quarantine lines hold
    // whatever a client sent: OpenX's JSON SerDe matches keys case-insensitively and skips a
    // malformed line instead of failing the query.
    return {
      serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'TRUE' },
    };
  }
  // The rows are written by the consumer itself, lower-case keys, with DATE columns as `yyyy-MM-dd`.
  return { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' };
}

function projection(table: TableDefinition, location: string, firstYear: number): Record<string, string> {
  // The year is a date projection so its range ends at the current year (no empty future partitions).
  const datePart = (year: string, month: string, day: string) => ({
    [`projection.${year}.type`]: 'date',
    [`projection.${year}.format`]: 'yyyy',
    [`projection.${year}.range`]: `${firstYear},NOW`,
    [`projection.${year}.interval`]: '1',
    [`projection.${year}.interval.unit`]: 'YEARS',
    [`projection.${month}.type`]: 'integer',
    [`projection.${month}.range`]: '1,12',
    [`projection.${month}.digits`]: '2',
    [`projection.${day}.type`]: 'integer',
    [`projection.${day}.range`]: '1,31',
    [`projection.${day}.digits`]: '2',
  });
  const template = table.partitionKeys.map((key) => `${key}=\${${key}}/`).join('');
  if (table.source !== 'tables') {
    return {
      'projection.enabled': 'true',
      ...datePart('year', 'month', 'day'),
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      'storage.location.template': `${location}${template}`,
    };
  }
  return {
    'projection.enabled': 'true',
    // Injected: the app comes from the query (`WHERE partition_app = '…'`), so an app registered
    // after deployment is queryable at once; an enum of the deployed app IDs would hide it.
    'projection.partition_app.type': 'injected',
    ...datePart('partition_year', 'partition_month', 'partition_day'),
    'storage.location.template': `${location}${template}`,
  };
}
