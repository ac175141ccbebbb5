import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import {
  ANDROID_USER_AGENT,
  batchLikeSdk,
  buildMobileRequest,
  MAX_BATCH_BYTES,
  MAX_EVENTS_PER_BATCH,
  type MobileEvent,
  type MobilePlatform,
  type MobileRequest,
  type MobileRequestOptions,
  mobileEvent,
  mobileHashCode,
  SWIFT_USER_AGENT,
  sendRaw,
  type WireResponse,
} from '../../support/mobile-wire-client';
import {
  decodeRecordEvents,
  ingestionSchemaProblems,
  readAsLong,
  recordContractProblems,
  type SinkRecord,
} from '../../support/record-schema';
import { readStream } from '../../support/stream-reader';

/**
 * The Android and Swift SDKs' wire format (see test/support/mobile-wire-client.ts for what was
 * read from their sources) against the local collector: gzip + base64 text bodies with
 * `compression=gzip`, plain JSON with `compression=` empty, hashCode over the text sent, their
 * query parameters and headers, and batches of up to 100 events / 512 KB.
 */

const APP_ID = 'test_app';

describe('mobile SDK wire format against the local collector', () => {
  let collector: LocalCollector;
  let endpoint: string;
  let sequence = 0;

  beforeAll(async () => {
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, archiver: false });
    endpoint = `${collector.url}/collect`;
  });

  afterAll(async () => {
    await collector?.stop();
  });

  function requestFor(
    platform: MobilePlatform,
    events: readonly MobileEvent[],
    options: Partial<MobileRequestOptions> = {},
  ): MobileRequest {
    sequence += 1;
    return buildMobileRequest(events, {
      platform,
      endpoint,
      appId: APP_ID,
      bundleSequenceId: sequence,
      ...options,
    });
  }

  function post(request: MobileRequest): Promise<WireResponse> {
    return sendRaw(collector.url, { method: 'POST', ...request });
  }

  async function recordsOf(responses: readonly WireResponse[]): Promise<SinkRecord[]> {
    const stream = await readStream(collector.kinesisEndpoint, collector.streamName);
    return responses.map((response) => {
      const matching = stream.filter((record) => record.rid === response.headers['x-request-id']);
      expect(matching).toHaveLength(1);
      return matching[0] as SinkRecord;
    });
  }

  function events(platform: MobilePlatform, count: number): MobileEvent[] {
    return Array.from({ length: count }, () => mobileEvent(platform, APP_ID));
  }

  describe.each([
    { platform: 'Android' as const, userAgent: ANDROID_USER_AGENT },
    { platform: 'iOS' as const, userAgent: SWIFT_USER_AGENT },
  ])('$platform SDK', ({ platform, userAgent }) => {
    it('has a gzip batch of 100 events (base64 text, compression=gzip) answered 200 and stored as the text sent', async () => {
      const uploadTimestamp = Date.now();
      const request = requestFor(platform, events(platform, MAX_EVENTS_PER_BATCH), { uploadTimestamp });
      expect(request.pathAndQuery).toContain('compression=gzip');
      expect(request.body).toMatch(/^[A-Za-z0-9+/]+=*$/);

      const response = await post(request);
      expect(response.status).toBe(200);
      const [record] = await recordsOf([response]);
      expect(record).toMatchObject({
        appId: APP_ID,
        compression: 'gzip',
        data: request.body,
        platform,
        ua: userAgent,
        client_timestamp: uploadTimestamp,
        uri: request.pathAndQuery,
        ip: '127.0.0.1',
      });
    });

    it('has a gzip batch decoded from the record back into exactly the events sent', async () => {
      const sent = events(platform, 20);
      const response = await post(requestFor(platform, sent));
      expect(response.status).toBe(200);
      const [record] = await recordsOf([response]);
      expect(decodeRecordEvents(record as SinkRecord)).toEqual(sent);
    });

    it('has a plain JSON batch with compression= empty stored with compression null and the JSON as data', async () => {
      const sent = events(platform, 5);
      const request = requestFor(platform, sent, { compress: false });
      expect(request.pathAndQuery).toMatch(/(^|[?&])compression=(&|$)/);

      const response = await post(request);
      expect(response.status).toBe(200);
      const [record] = await recordsOf([response]);
      expect(record).toMatchObject({
        compression: null,
        data: JSON.stringify(sent),
        uri: request.pathAndQuery,
      });
      expect(decodeRecordEvents(record as SinkRecord)).toEqual(sent);
    });

    it('produces records that meet the record contract and the data processing input schema', async () => {
      const responses = [
        await post(requestFor(platform, events(platform, 3))),
        await post(requestFor(platform, events(platform, 3), { compress: false })),
      ];
      for (const record of await recordsOf(responses)) {
        expect(recordContractProblems(record)).toEqual([]);
        expect(ingestionSchemaProblems(record)).toEqual([]);
      }
    });
  });

  it('writes client_timestamp as the upload_timestamp number, which the long-typed downstream reader reads as is', async () => {
    const uploadTimestamp = 1_719_469_185_123;
    const response = await post(requestFor('Android', events('Android', 1), { uploadTimestamp }));
    const [record] = await recordsOf([response]);
    expect(record?.client_timestamp).toBe(uploadTimestamp);
    expect(readAsLong(record?.client_timestamp)).toBe(BigInt(uploadTimestamp));
  });

  it('refuses (400) a gzip body whose hashCode was computed over the JSON instead of the base64 text sent', async () => {
    const sent = events('Android', 2);
    const request = requestFor('Android', sent);
    const wrongHash = mobileHashCode(JSON.stringify(sent));
    expect(wrongHash).not.toBe(request.hashCode);
    const response = await post({
      ...request,
      pathAndQuery: request.pathAndQuery.replace(`hashCode=${request.hashCode}`, `hashCode=${wrongHash}`),
    });
    expect(response.status).toBe(400);
  });

  it('stores each of 250 recorded events exactly once when sent in SDK batches of 100, 100 and 50', async () => {
    const recorded = events('Android', 250);
    const batches = batchLikeSdk(recorded);
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);

    const responses: WireResponse[] = [];
    for (const batch of batches) responses.push(await post(requestFor('Android', batch)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);

    const stored = (await recordsOf(responses)).flatMap((record) => decodeRecordEvents(record));
    const storedIds = stored.map((event) => (event as MobileEvent).event_id);
    expect(storedIds.sort()).toEqual(recorded.map((event) => event.event_id).sort());
  });

  it('accepts batches cut at the 512 KB limit (large, poorly compressible events) and stores every event once', async () => {
    // ~6 KB of random text per event: the size limit, not the count, closes each batch, and the
    // gzip + base64 body stays near the batch size (random data barely compresses).
    const recorded = Array.from({ length: 120 }, () =>
      mobileEvent('iOS', APP_ID, { attributes: { blob: randomBytes(4_500).toString('base64') } }),
    );
    const batches = batchLikeSdk(recorded);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(batch.length).toBeLessThan(MAX_EVENTS_PER_BATCH);
      expect(Buffer.byteLength(batch.map((event) => JSON.stringify(event)).join(''))).toBeLessThanOrEqual(
        MAX_BATCH_BYTES,
      );
    }

    const responses: WireResponse[] = [];
    for (const batch of batches) responses.push(await post(requestFor('iOS', batch)));
    expect(responses.every((response) => response.status === 200)).toBe(true);

    const records = await recordsOf(responses);
    const storedIds = records.flatMap((record) =>
      decodeRecordEvents(record).map((event) => (event as MobileEvent).event_id),
    );
    expect(storedIds.sort()).toEqual(recorded.map((event) => event.event_id).sort());
    for (const record of records) expect(recordContractProblems(record)).toEqual([]);
  });
});
