import { gunzipSync } from 'node:zlib';

/** One line of a quarantine object (see lambda/core/quarantine.ts). */
export interface QuarantineLine {
  readonly kind: 'invalid_event' | 'oversized_event' | 'rejected_body';
  readonly rid: string;
  readonly app_id: string | null;
  readonly event_index: number | null;
  readonly event_id: string | null;
  readonly event_type: string | null;
  readonly error: string | null;
  readonly reasons: string[];
  readonly event: string | null;
  readonly body: string | null;
  readonly body_base64: string | null;
  readonly [field: string]: unknown;
}

/** The lines of a quarantine object, as stored (gzip NDJSON) or already inflated. */
export function quarantineLines(stored: Buffer | string | Uint8Array): QuarantineLine[] {
  const bytes = typeof stored === 'string' ? Buffer.from(stored) : Buffer.from(stored);
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as QuarantineLine);
}

/** The exact bytes of a rejected body, from its line. */
export function rejectedBodyBytes(line: QuarantineLine): Buffer {
  if (line.body !== null) return Buffer.from(line.body);
  return Buffer.from(line.body_base64 ?? '', 'base64');
}
