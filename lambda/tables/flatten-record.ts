import { hourPartition } from '../core/partition-path';
import type { EventParameterRow, EventRow, FlatTableName, ItemRow, UserRow } from './catalog';
import { decodeRecord } from './decode-record';
import { checkEvent, flattenEvent, rowCountBound, utcDate } from './flatten-event';
import { UserAgentCache } from './user-agent';

/**
 * One stream record → its raw archive line and its rows in the four flattened tables. This is the
 * one flattening module: the deployed archive consumer (lambda/archive/) and the local archiver
 * (local/archiver.ts) both call it. Pure (no AWS); a record or an element it cannot use yields
 * fewer rows, never an exception. The work per record is bounded: `data` inflates to at most
 * MAX_DECODED_DATA_BYTES, and at most `maxRowsPerRecord` rows are built.
 */

interface FlatRows {
  readonly event: EventRow[];
  readonly event_parameter: EventParameterRow[];
  readonly user: UserRow[];
  readonly item: ItemRow[];
}

/** Where a record's rows go: every row of a record shares its app and arrival day. */
export interface TablePartition {
  readonly app: string;
  /** `YYYY-MM-DD`, UTC, of the request's arrival (`ingest_time`). */
  readonly day: string;
}

interface FlattenStats {
  /** Elements of `data`. */
  readonly elements: number;
  /** Events that became rows. */
  readonly flattened: number;
  /** Elements that are not usable events (not objects, or without `event_id`/`app_id`/`timestamp`). */
  readonly unusable: number;
  /** Usable events left out because the record's row budget ran out. */
  readonly overBudget: number;
  /** Why the record's `data` could not be read at all, if so. */
  readonly problem: string | null;
}

export interface FlattenedRecord {
  /** The record as one NDJSON line of the raw archive: its bytes, exactly, plus `\n`. */
  readonly line: Buffer;
  readonly partition: TablePartition | null;
  readonly rows: FlatRows;
  readonly stats: FlattenStats;
}

export interface FlattenOptions {
  /** @default 100000 */
  readonly maxRowsPerRecord?: number;
  /** Shared across a batch so each distinct `User-Agent` is parsed once. */
  readonly userAgents?: UserAgentCache;
}

const DEFAULT_MAX_ROWS_PER_RECORD = 100_000;

/** The record as one NDJSON line: its bytes, with exactly one trailing newline. */
function toNdjsonLine(data: Uint8Array): Buffer {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end -= 1;
  return Buffer.concat([data.subarray(0, end), Buffer.from('\n')]);
}

/** `year=YYYY/month=MM/day=DD/hour=HH/` of the arrival time (the layout CAoA's ETL reads). */
export function archivePartitionPath(arrivedAt: Date): string {
  return hourPartition(arrivedAt.getTime());
}

function emptyRows(): FlatRows {
  return { event: [], event_parameter: [], user: [], item: [] };
}

export const FLAT_TABLE_NAMES: readonly FlatTableName[] = ['event', 'event_parameter', 'user', 'item'];

export function flattenRecord(data: Uint8Array, options: FlattenOptions = {}): FlattenedRecord {
  const line = toNdjsonLine(data);
  const budget = options.maxRowsPerRecord ?? DEFAULT_MAX_ROWS_PER_RECORD;
  const userAgents = options.userAgents ?? new UserAgentCache();
  const rows = emptyRows();
  const decoded = decodeRecord(data);
  const day = decoded.fields === null ? null : utcDate(decoded.fields.ingestTime);
  const partition = decoded.fields === null || day === null ? null : { app: decoded.fields.appId, day };
  if (!decoded.ok || partition === null) {
    const problem = decoded.ok ? 'ingest_time is out of range' : decoded.problem;
    return {
      line,
      partition,
      rows,
      stats: { elements: 0, flattened: 0, unusable: 0, overBudget: 0, problem },
    };
  }
  const ua = userAgents.get(decoded.fields.ua);
  let used = 0;
  let flattened = 0;
  let unusable = 0;
  let overBudget = 0;
  for (const element of decoded.events) {
    const checked = checkEvent(element);
    if (!checked.usable) {
      unusable += 1;
      continue;
    }
    const bound = rowCountBound(checked.event);
    if (used + bound > budget) {
      overBudget += 1;
      continue;
    }
    const eventRows = flattenEvent(checked, decoded.fields, ua);
    rows.event.push(eventRows.event);
    for (const row of eventRows.parameters) rows.event_parameter.push(row);
    for (const row of eventRows.items) rows.item.push(row);
    if (eventRows.user !== null) rows.user.push(eventRows.user);
    used += bound;
    flattened += 1;
  }
  return {
    line,
    partition,
    rows,
    stats: { elements: decoded.events.length, flattened, unusable, overBudget, problem: null },
  };
}
