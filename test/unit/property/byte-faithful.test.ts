import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBatch } from '../../../lambda/core/body/read-batch';
import { invalidEventText, validEventText } from '../../support/json-text';
import { memoryCollector } from '../../support/memory-collector';

/**
 * The central promise, as a property: whatever odd numbers, escapes and nesting the events hold,
 * and whichever of them are invalid, every kept event reaches the stream as the exact text the
 * client sent, in order, and every sent event is either in the stream or in the quarantine.
 */

interface Sent {
  readonly text: string;
  readonly valid: boolean;
}

/** Valid events, optionally padded with incompressible text so that batches need several records. */
const batch = (padBytes: number) =>
  fc.array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .tuple(validEventText(), fc.uint8Array({ minLength: padBytes, maxLength: padBytes }))
          .map(([text, pad]) => ({
            text: padBytes === 0 ? text : `{"pad":"${Buffer.from(pad).toString('base64')}",${text.slice(1)}`,
            valid: true,
          })),
      },
      { weight: 1, arbitrary: invalidEventText().map((text) => ({ text, valid: false })) },
    ),
    { minLength: 1, maxLength: 12 },
  );
const separator = fc.constantFrom(',', ', ', ',\n  ');

/** The event texts of the stream's records, decoded as the downstream reader decodes `data`. */
function streamedTexts(records: ReadonlyArray<Record<string, unknown>>): string[] {
  return records.flatMap((record) => {
    const data = String(record.data);
    const json = record.compression === 'gzip' ? gunzipSync(Buffer.from(data, 'base64')).toString() : data;
    const batch = readBatch(json, { maxEvents: 10_000, maxEventDepth: 1_000 });
    return batch.elements.map((element) => batch.textOf(element.index));
  });
}

describe('byte-faithful records', () => {
  it.each([
    ['plain JSON', false, 0],
    ['gzip + base64', true, 0],
    ['plain JSON, split over several records', false, 3_000],
    ['gzip + base64, split over several records', true, 3_000],
  ] as const)(
    'keeps every kept event byte for byte and accounts for every event (%s)',
    async (_case, gzip, padBytes) => {
      const collector = memoryCollector({ CLICKSTREAM_MAX_RECORD_BYTES: '16384' });
      let split = 0;
      await fc.assert(
        fc.asyncProperty(batch(padBytes), separator, async (events: readonly Sent[], comma) => {
          const json = `[${events.map((event) => event.text).join(comma)}]`;
          const body = gzip ? gzipSync(json).toString('base64') : json;
          const before = collector.stream.records.length;
          const response = await collector.send({
            query: `appId=test_app${gzip ? '&compression=gzip' : ''}`,
            body,
          });
          expect(response.statusCode).toBe(200);

          const records = collector.stream.parsed().slice(before);
          if (records.length > 1) split += 1;
          const expectedKept = events.filter((event) => event.valid).map((event) => event.text);
          expect(streamedTexts(records)).toEqual(expectedKept);
          if (expectedKept.length === events.length && records.length === 1)
            expect(records[0]?.data).toBe(body);
          expect(records.every((record) => record.compression === (gzip ? 'gzip' : null))).toBe(true);

          const rid = response.headers['x-request-id'];
          const quarantined = collector.quarantined().filter((line) => line.rid === rid);
          expect(quarantined.map((line) => line.event)).toEqual(
            events.filter((event) => !event.valid).map((event) => event.text),
          );
          const outcome = collector.outcomes.at(-1);
          expect((outcome?.eventsAccepted ?? 0) + (outcome?.eventsQuarantined ?? 0)).toBe(events.length);
        }),
        { numRuns: 100 },
      );
      // The padded cases must really exercise splitting; the others fit one record.
      expect(split > 0).toBe(padBytes > 0);
    },
  );
});
