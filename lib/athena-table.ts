import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_SETTINGS } from '../settings/archive-settings';

export interface AthenaTableProps {
  /** The archive bucket Firehose writes to. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the archived records (ends with "/"). */
  readonly prefix: string;
  /**
   * Name of the Glue database (lowercase letters, digits and "_").
   * @default 'clickstream'
   */
  readonly databaseName?: string;
  /**
   * Name of the table.
   * @default 'ingestion_events'
   */
  readonly tableName?: string;
  /**
   * First year the partition projection covers; the last is the current year.
   * @default 2025
   */
  readonly firstYear?: number;
}

/** The columns of a sink record (DESIGN §3), in record order. */
export const RECORD_COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: 'appId', type: 'string' },
  { name: 'compression', type: 'string' },
  { name: 'data', type: 'string' },
  { name: 'date', type: 'string' },
  { name: 'timestamp', type: 'string' },
  { name: 'ingest_time', type: 'bigint' },
  { name: 'server_ingest_time', type: 'bigint' },
  { name: 'client_timestamp', type: 'string' },
  { name: 'ip', type: 'string' },
  { name: 'ua', type: 'string' },
  { name: 'method', type: 'string' },
  { name: 'path', type: 'string' },
  { name: 'uri', type: 'string' },
  { name: 'platform', type: 'string' },
  { name: 'rid', type: 'string' },
  { name: 'source_type', type: 'string' },
];

/**
 * A Glue database and the `ingestion_events` table over the archive: JSON SerDe, partition projection
 * on year/month/day/hour, so Athena can query it right after deployment without a crawler.
 */
export class AthenaTable extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly table: glue.CfnTable;
  public readonly databaseName: string;
  public readonly tableName: string;

  constructor(scope: Construct, id: string, props: AthenaTableProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? ARCHIVE_SETTINGS.athenaDatabase.default;
    this.tableName = props.tableName ?? 'ingestion_events';
    const firstYear = props.firstYear ?? 2025;

    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: this.databaseName, description: 'Clickstream collector archive' },
    });

    const location = `s3://${props.bucket.bucketName}/${props.prefix}`;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: 'Raw collector records archived by Firehose (gzip NDJSON, one record per request)',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          compressionType: 'gzip',
          'projection.enabled': 'true',
          // The year is a date projection so its range ends at the current year (no empty future partitions).
          'projection.year.type': 'date',
          'projection.year.format': 'yyyy',
          'projection.year.range': `${firstYear},NOW`,
          'projection.year.interval': '1',
          'projection.year.interval.unit': 'YEARS',
          'projection.month.type': 'integer',
          'projection.month.range': '1,12',
          'projection.month.digits': '2',
          'projection.day.type': 'integer',
          'projection.day.range': '1,31',
          'projection.day.digits': '2',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `${location}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
        },
        partitionKeys: [
          { name: 'year', type: 'string' },
          { name: 'month', type: 'string' },
          { name: 'day', type: 'string' },
          { name: 'hour', type: 'string' },
        ],
        storageDescriptor: {
          location,
          columns: RECORD_COLUMNS.map((column) => ({ name: column.name, type: column.type })),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: {
              // Record keys are matched case-insensitively (Glue lowercases `appId` to `appid`).
              'case.insensitive': 'TRUE',
              'ignore.malformed.json': 'TRUE',
            },
          },
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }

  /** `database.table`, as typed in an Athena query. */
  public get qualifiedName(): string {
    return `${this.databaseName}.${this.tableName}`;
  }

  /** The catalog ARN of the table (for IAM policies of readers). */
  public get tableArn(): string {
    return `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${this.databaseName}/${this.tableName}`;
  }
}
