import type { EncodedRecord } from '../../lambda/core/records/record';

const NEWLINE = 0x0a;

/** Kinesis limit on a partition key, in Unicode characters. */
const MAX_PARTITION_KEY_CHARS = 256;

/**
 * The lines of an NDJSON body, as the exact bytes between newlines. Blank lines carry no record
 * (the writer ends the body with a newline), so they are dropped.
 */
export function splitNdjson(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    const end = body.indexOf(NEWLINE, start);
    const stop = end === -1 ? body.length : end;
    const line = body.subarray(start, stop);
    if (line.toString('utf8').trim() !== '') lines.push(line);
    start = stop + 1;
  }
  return lines;
}

export interface ParsedFallback {
  readonly records: EncodedRecord[];
  /** One message per non-blank line that is not a sink record, naming its position (1-based). */
  readonly errors: string[];
}

function recordOf(line: Buffer): EncodedRecord | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    return 'not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const rid: unknown = (parsed as Record<string, unknown>).rid;
  if (typeof rid !== 'string' || rid === '') return 'no string "rid" to use as partition key';
  if ([...rid].length > MAX_PARTITION_KEY_CHARS) return '"rid" is longer than a partition key may be';
  // The original bytes, not a re-serialisation: the stream must get exactly what it refused.
  // eventCount only feeds the collector's accounting; counting would mean decoding `data`.
  return { partitionKey: rid, data: Buffer.from(line), eventCount: 0 };
}

/** The sink records of a fallback object's (gunzipped) body, partitioned by their `rid`. */
export function parseFallbackRecords(body: Buffer): ParsedFallback {
  const records: EncodedRecord[] = [];
  const errors: string[] = [];
  splitNdjson(body).forEach((line, index) => {
    const result = recordOf(line);
    if (typeof result === 'string') errors.push(`record ${index + 1}: ${result}`);
    else records.push(result);
  });
  return { records, errors };
}
