import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { buildRecord, type RecordContext } from '../../../lambda/core/records/record';
import { type KeptEvents, planRecords } from '../../../lambda/core/records/record-plan';
import { sampleEvent } from '../../support/events';
import { CONTRACT_FIELDS } from '../../support/record-schema';

/** How often the code under test gzips: the record plan must never gzip the same text twice. */
const gzips = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  const gzipSync: typeof zlib.gzipSync = (...args) => {
    gzips.count += 1;
    return zlib.gzipSync(...args);
  };
  return { ...zlib, gzipSync };
});

const context: RecordContext = {
  appId: 'test_app',
  rid: '0123456789abcdef0123456789abcdef',
  receivedAt: Date.UTC(2024, 5, 27, 6, 19, 45, 123),
  ip: '101.188.67.134',
  ua: null,
  method: 'POST',
  path: '/collect',
  uri: '/collect?appId=test_app',
  platform: null,
  clientTimestamp: 1719469185000,
};

const kept = (texts: readonly string[]): KeptEvents => ({
  count: texts.length,
  list: () => texts.map((text, index) => ({ index, text })),
});
const textsOf = (events: readonly Record<string, unknown>[]) => events.map((event) => JSON.stringify(event));

/** The `data` of each planned record, decoded as a reader would (gzip + base64 when compressed). */
function dataOf(plan: ReturnType<typeof planRecords>): Array<{ compression: unknown; json: string }> {
  return plan.records.map((record) => {
    const parsed = JSON.parse(record.data.toString());
    const json =
      parsed.compression === 'gzip' ? gunzipSync(Buffer.from(parsed.data, 'base64')).toString() : parsed.data;
    return { compression: parsed.compression, json };
  });
}

describe('the sink record', () => {
  it('has every contract field, in order, with nulls for what is missing', () => {
    const record = buildRecord({ ...context, clientTimestamp: null }, '[]', null);
    expect(Object.keys(record)).toEqual([...CONTRACT_FIELDS]);
    expect(record).toMatchObject({
      date: '2024-06-27T06:19:45+00:00',
      timestamp: '2024-06-27T06:19:45.123Z',
      ingest_time: context.receivedAt,
      server_ingest_time: context.receivedAt,
      ua: null,
      platform: null,
      client_timestamp: null,
      source_type: 'http_server',
    });
  });

  it('writes client_timestamp as a JSON number', () => {
    const json = JSON.stringify(buildRecord(context, '[]', null));
    expect(json).toContain('"client_timestamp":1719469185000,');
  });
});

describe('planRecords', () => {
  const body = (texts: readonly string[]) => ({ text: `[${texts.join(',')}]`, compression: null });

  it('makes one record whose data is the body as received when it is intact and fits', () => {
    const text = ' [ {"a":10.0} ] ';
    const plan = planRecords(context, { text, compression: null }, kept(['{"a":10.0}']), true, 1_048_576);
    expect(plan.records).toHaveLength(1);
    expect(JSON.parse(plan.records[0]?.data.toString() as string).data).toBe(text);
    expect(plan.records[0]?.partitionKey).toBe(context.rid);
  });

  it('makes no record when no event is kept', () => {
    expect(planRecords(context, body([]), kept([]), true, 1_048_576).records).toEqual([]);
  });

  it("carries the kept events' original texts when some were taken out, never re-serialised", () => {
    const texts = ['{"n":12345678901234567890}', '{"n":10.0,"e":"\\u00e9"}', '{"n":-0,"m":1e2}'];
    const plan = planRecords(context, body(texts), kept([texts[0], texts[2]] as string[]), false, 1_048_576);
    expect(dataOf(plan)).toEqual([{ compression: null, json: `[${texts[0]},${texts[2]}]` }]);
  });

  it('keeps a gzip request gzip when it rewrites it, and about as small as it came', () => {
    const texts = textsOf(Array.from({ length: 200 }, () => sampleEvent()));
    const original = {
      text: Buffer.from(`[${texts.join(',')}]`).toString('base64'),
      compression: 'gzip' as const,
    };
    const plan = planRecords(context, original, kept(texts.slice(1)), false, 1_048_576);
    expect(dataOf(plan)).toEqual([{ compression: 'gzip', json: `[${texts.slice(1).join(',')}]` }]);
    const plainSize = Buffer.byteLength(`[${texts.join(',')}]`);
    expect(plan.records[0]?.data.length).toBeLessThan(plainSize / 3);
  });

  it('splits a request over several records, each within the limit, valid on its own and in order', () => {
    const texts = textsOf(
      Array.from({ length: 300 }, () =>
        sampleEvent({ attributes: { text: 'quote " and \\ backslash '.repeat(20) } }),
      ),
    );
    const limit = 64 * 1024;
    const plan = planRecords(context, body(texts), kept(texts), true, limit);
    expect(plan.records.length).toBeGreaterThan(1);
    for (const record of plan.records) {
      expect(record.data.length + record.partitionKey.length).toBeLessThanOrEqual(limit);
      expect(JSON.parse(record.data.toString())).toMatchObject({ compression: null, rid: context.rid });
    }
    const carried = dataOf(plan).flatMap(({ json }) => json.slice(1, -1));
    expect(carried.join(',')).toBe(texts.join(','));
    expect(plan.records.reduce((sum, record) => sum + record.eventCount, 0)).toBe(texts.length);
  });

  it('splits a gzip request into gzip records within the limit', () => {
    // Random-looking text compresses poorly, so the parts must be sized by the measured ratio.
    const texts = textsOf(
      Array.from({ length: 400 }, (_, index) =>
        sampleEvent({ attributes: { noise: randomBytes(600).toString('base64'), index } }),
      ),
    );
    const limit = 48 * 1024;
    const original = { text: 'unused: not intact', compression: 'gzip' as const };
    const plan = planRecords(context, original, kept(texts), false, limit);
    expect(plan.records.length).toBeGreaterThan(1);
    for (const record of plan.records)
      expect(record.data.length + record.partitionKey.length).toBeLessThanOrEqual(limit);
    const parts = dataOf(plan);
    expect(parts.every((part) => part.compression === 'gzip')).toBe(true);
    expect(parts.map(({ json }) => json.slice(1, -1)).join(',')).toBe(texts.join(','));
  });

  it('fills plain records close to the limit rather than splitting into tiny ones', () => {
    const texts = textsOf(Array.from({ length: 400 }, () => sampleEvent()));
    const limit = 32 * 1024;
    const plan = planRecords(context, body(texts), kept(texts), false, limit);
    const total = plan.records.reduce((sum, record) => sum + record.data.length, 0);
    expect(plan.records.length).toBeLessThanOrEqual(Math.ceil(total / (limit * 0.9)));
  });

  it('gzips a gzip request with one event too large for any record once', () => {
    const huge = JSON.stringify(sampleEvent({ attributes: { pad: randomBytes(40_000).toString('base64') } }));
    const before = gzips.count;
    const plan = planRecords(context, { text: '', compression: 'gzip' }, kept([huge]), false, 32 * 1024);
    expect(plan).toEqual({ records: [], oversized: [{ index: 0, text: huge }] });
    expect(gzips.count - before).toBe(1);
  });

  it.each([null, 'gzip'] as const)(
    'sets aside an event too large for any record (compression %s)',
    (compression) => {
      const huge = JSON.stringify(
        sampleEvent({ attributes: { pad: randomBytes(40_000).toString('base64') } }),
      );
      const small = JSON.stringify(sampleEvent());
      const plan = planRecords(context, { text: '', compression }, kept([huge, small]), false, 32 * 1024);
      expect(plan.oversized).toEqual([{ index: 0, text: huge }]);
      expect(dataOf(plan).map(({ json }) => json)).toEqual([`[${small}]`]);
    },
  );
});
