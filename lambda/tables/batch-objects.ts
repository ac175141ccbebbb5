import { stringify } from 'lossless-json';
import { TABLE_PARTITION_KEYS } from './catalog';
import {
  archivePartitionPath,
  FLAT_TABLE_NAMES,
  type FlattenOptions,
  flattenRecord,
  type TablePartition,
} from './flatten-record';
import { UserAgentCache } from './user-agent';

/**
 * A batch of records from one shard → the objects to write: per hour of arrival, one raw archive
 * object (gzip NDJSON, one record per line, under `{archivePrefix}year=…/month=…/day=…/hour=…/`);
 * per table, app and day, one object of rows (under
 * `{tablesPrefix}{table}/partition_app=…/partition_year=…/partition_month=…/partition_day=…/`).
 *
 * Object keys are `{shard}-{first sequence number of the object's records}.json.gz`, so they are
 * the same whenever the same records are planned again. Why this keying makes retries overwrite
 * instead of duplicate: a retried batch always starts at the checkpoint, which never moves past a
 * record that is not yet fully written. Take an object O written by an earlier attempt, keyed by
 * its first record r. Any later batch that holds r starts at or after the earlier attempt's start,
 * and the earlier attempt held every record of O's group between its start and r — none, since r
 * was the group's first. So in the later batch r is again the group's first record: it writes the
 * same key and replaces O with the group's records in that batch. A retry with more records (a
 * superset) rewrites O whole; a bisected first half rewrites O with its part, and the second half
 * writes the rest under the key of its own first record. The consumer reports a failure only at a
 * checkpoint that no written object straddles (lambda/archive/checkpoint.ts), which keeps this true.
 */

export interface BatchRecord {
  readonly sequenceNumber: string;
  readonly data: Uint8Array;
  /** `ApproximateArrivalTimestamp`: the hour partition of the raw archive, as Firehose did. */
  readonly arrivedAt: Date;
}

export interface PlannedObject {
  readonly key: string;
  /** `archive` for raw records, else the table's name. */
  readonly kind: 'archive' | (typeof FLAT_TABLE_NAMES)[number];
  /** Uncompressed NDJSON lines. */
  readonly lines: Buffer[];
  /** Positions in the batch of the first and last record with a line in this object. */
  firstIndex: number;
  lastIndex: number;
}

interface BatchStats {
  readonly records: number;
  readonly events: number;
  readonly unusableElements: number;
  readonly eventsOverBudget: number;
  readonly unreadableRecords: number;
}

export interface BatchPlan {
  readonly objects: PlannedObject[];
  readonly stats: BatchStats;
  /**
   * How many records, from the first, the objects cover. Fewer than the batch when the line budget
   * ran out: the rest must be reported as not done, so Lambda hands them over again.
   */
  readonly plannedRecords: number;
}

export interface BatchOptions extends FlattenOptions {
  /**
   * Lines (raw records plus rows) a batch may hold before the rest of its records is left for the
   * next invocation; the first record is always planned.
   * @default 500000
   */
  readonly maxLinesPerBatch?: number;
}

const DEFAULT_MAX_LINES_PER_BATCH = 500_000;

export interface BatchLayout {
  /** e.g. `events/` (ends with "/"). */
  readonly archivePrefix: string;
  /** e.g. `tables/` (ends with "/"). */
  readonly tablesPrefix: string;
}

/** Characters a shard id or app id may keep in a key; anything else is percent-encoded. */
function keySegment(value: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(value) ? value : encodeURIComponent(value);
}

function tablePartitionPath(partition: TablePartition): string {
  const [year, month, day] = partition.day.split('-');
  const values = [keySegment(partition.app), year, month, day];
  return TABLE_PARTITION_KEYS.map((key, index) => `${key}=${values[index]}/`).join('');
}

export function planBatchObjects(
  shardId: string,
  records: readonly BatchRecord[],
  layout: BatchLayout,
  options: BatchOptions = {},
): BatchPlan {
  const userAgents = options.userAgents ?? new UserAgentCache();
  const maxLines = options.maxLinesPerBatch ?? DEFAULT_MAX_LINES_PER_BATCH;
  const objects = new Map<string, PlannedObject>();
  const shard = keySegment(shardId);
  const add = (
    directory: string,
    kind: PlannedObject['kind'],
    index: number,
    sequenceNumber: string,
    lines: Buffer[],
  ): void => {
    const group = `${kind}\u0000${directory}`;
    let object = objects.get(group);
    if (object === undefined) {
      object = {
        key: `${directory}${shard}-${sequenceNumber}.json.gz`,
        kind,
        lines: [],
        firstIndex: index,
        lastIndex: index,
      };
      objects.set(group, object);
    }
    for (const line of lines) object.lines.push(line);
    object.lastIndex = index;
  };
  let events = 0;
  let unusableElements = 0;
  let eventsOverBudget = 0;
  let unreadableRecords = 0;
  let lines = 0;
  let plannedRecords = 0;
  for (const [index, record] of records.entries()) {
    const flat = flattenRecord(record.data, { ...options, userAgents });
    const recordLines =
      1 +
      flat.rows.event.length +
      flat.rows.event_parameter.length +
      flat.rows.user.length +
      flat.rows.item.length;
    if (index > 0 && lines + recordLines > maxLines) break;
    lines += recordLines;
    plannedRecords += 1;
    add(
      `${layout.archivePrefix}${archivePartitionPath(record.arrivedAt)}`,
      'archive',
      index,
      record.sequenceNumber,
      [flat.line],
    );
    events += flat.stats.flattened;
    unusableElements += flat.stats.unusable;
    eventsOverBudget += flat.stats.overBudget;
    if (flat.stats.problem !== null) unreadableRecords += 1;
    if (flat.partition === null) continue;
    const partitionPath = tablePartitionPath(flat.partition);
    for (const table of FLAT_TABLE_NAMES) {
      const rows: readonly object[] = flat.rows[table];
      if (rows.length === 0) continue;
      const rowLines = rows.map((row) => Buffer.from(`${stringify(row)}\n`));
      add(`${layout.tablesPrefix}${table}/${partitionPath}`, table, index, record.sequenceNumber, rowLines);
    }
  }
  return {
    objects: [...objects.values()],
    stats: { records: plannedRecords, events, unusableElements, eventsOverBudget, unreadableRecords },
    plannedRecords,
  };
}
