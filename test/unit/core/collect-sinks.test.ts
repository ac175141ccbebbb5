import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBase64, sampleBatch, sampleEvent } from '../../support/events';
import { memoryCollector } from '../../support/memory-collector';

const query = 'appId=test_app&platform=Web&upload_timestamp=1700000000123';

describe('where accepted data goes', () => {
  it('writes records the stream refused to the S3 fallback, in the record format, and answers 200', async () => {
    const collector = memoryCollector({ CLICKSTREAM_KINESIS_RETRY_BUDGET_MS: '0' });
    collector.stream.refuse = () => true;
    const events = sampleBatch(2);
    const response = await collector.send({ query, body: JSON.stringify(events) });
    expect(response.statusCode).toBe(200);
    const [key] = collector.objects.keys('fallback/');
    expect(key).toMatch(/^fallback\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/[0-9a-f]{32}\.ndjson\.gz$/);
    const lines = gunzipSync(collector.objects.objects.get(key as string)?.body as Buffer)
      .toString()
      .trim()
      .split('\n');
    const record = JSON.parse(lines[0] as string);
    expect(record).toMatchObject({
      appId: 'test_app',
      rid: response.headers['x-request-id'],
      client_timestamp: 1700000000123,
    });
    expect(JSON.parse(record.data)).toEqual(events);
    expect(collector.outcomes[0]).toMatchObject({ eventsAccepted: 2, eventsToFallback: 2 });
  });

  it('answers 503 and acknowledges nothing when the quarantine cannot be written', async () => {
    const collector = memoryCollector();
    collector.objects.failing = true;
    const response = await collector.send({ query, body: JSON.stringify([sampleEvent(), { bad: 1 }]) });
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).error).toBe('quarantine_unavailable');
  });

  it('answers 400 even when the rejected body cannot be quarantined', async () => {
    const collector = memoryCollector();
    collector.objects.failing = true;
    expect((await collector.send({ query, body: 'not json' })).statusCode).toBe(400);
  });

  it('quarantines invalid events with their index, exact text, reasons and the request summary', async () => {
    const collector = memoryCollector();
    const bad = '{"event_type":"x", "timestamp":"soon", "n":10.0}';
    await collector.send({
      query,
      body: `[${JSON.stringify(sampleEvent())},${bad}]`,
      headers: { 'user-agent': 'UA/1' },
    });
    const [key] = collector.objects.keys('quarantine/');
    expect(key).toMatch(
      /^quarantine\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/[0-9a-f]{32}\.ndjson\.gz$/,
    );
    expect(collector.quarantined()).toEqual([
      expect.objectContaining({
        kind: 'invalid_event',
        app_id: 'test_app',
        ua: 'UA/1',
        uri: `/collect?${query}`,
        event_index: 1,
        event: bad,
        event_type: 'x',
        event_id: null,
        reasons: expect.arrayContaining([
          expect.stringContaining('timestamp'),
          expect.stringContaining('event_id'),
        ]),
      }),
    ]);
  });

  it('quarantines an event too large for a stream record and keeps the others', async () => {
    const collector = memoryCollector({ CLICKSTREAM_MAX_RECORD_BYTES: '20000' });
    const big = sampleEvent({ attributes: { pad: 'x'.repeat(30_000) } });
    const response = await collector.send({ query, body: JSON.stringify([big, sampleEvent()]) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-clickstream-quarantined']).toBe('1');
    expect(collector.outcomes[0]).toMatchObject({ eventsAccepted: 1, eventsQuarantined: 1 });
  });

  it('splits a request into several records when one would exceed the record size', async () => {
    const collector = memoryCollector({ CLICKSTREAM_MAX_RECORD_BYTES: '20000' });
    const events = sampleBatch(100);
    const response = await collector.send({ query, body: JSON.stringify(events) });
    expect(response.statusCode).toBe(200);
    expect(collector.stream.records.length).toBeGreaterThan(1);
    const carried = collector.stream.parsed().flatMap((record) => JSON.parse(record.data as string));
    expect(carried).toEqual(events);
  });

  it("stores the kept events' exact bytes when one is quarantined, as gzip when the request was gzip", async () => {
    const collector = memoryCollector();
    const kept = [
      '{"event_type":"a","event_id":"1","timestamp":1700000000000,"app_id":"test_app","big":12345678901234567890,"f":10.0,"e":"\\u00e9","z":-0,"x":1e2}',
    ];
    const text = `[${kept[0]}, {"event_type":"bad"}]`;
    const response = await collector.send({ query: `${query}&compression=gzip`, body: gzipBase64(text) });
    expect(response.headers['x-clickstream-quarantined']).toBe('1');
    const [record] = collector.stream.parsed();
    expect(record?.compression).toBe('gzip');
    expect(gunzipSync(Buffer.from(record?.data as string, 'base64')).toString()).toBe(`[${kept[0]}]`);
  });

  it('accepts a full web SDK batch of CJK text (512 K UTF-16 units, about 1.5 MB) and splits it into records', async () => {
    const collector = memoryCollector();
    const events = sampleBatch(64, { attributes: { text: '漢字かな交じり文'.repeat(1_000) } });
    const text = JSON.stringify(events);
    expect(text.length).toBeLessThan(512 * 1024);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1_048_576);
    const response = await collector.send({ query, body: text });
    expect(response.statusCode).toBe(200);
    expect(collector.stream.records.length).toBeGreaterThan(1);
    expect(collector.stream.parsed().flatMap((record) => JSON.parse(record.data as string))).toEqual(events);
  });

  it('keeps a rewritten gzip request within 1.5 times its body plus 1 KB on the stream', async () => {
    const collector = memoryCollector();
    const events: unknown[] = sampleBatch(100);
    events.splice(50, 0, { event_type: 'no id' });
    const body = gzipBase64(JSON.stringify(events));
    await collector.send({ query: `${query}&compression=gzip`, body });
    const streamBytes = collector.stream.records.reduce((sum, record) => sum + record.data.length, 0);
    expect(streamBytes).toBeLessThanOrEqual(1.5 * body.length + 1_024);
  });

  it('writes an empty ip, never null, when the IP policy drops addresses', async () => {
    const collector = memoryCollector({ CLICKSTREAM_IP_ANONYMIZATION: 'drop' });
    await collector.send({
      query,
      body: JSON.stringify([sampleEvent()]),
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(collector.stream.parsed()[0]?.ip).toBe('');
  });

  it('enriches the record with the client IP from X-Forwarded-For and the user agent', async () => {
    const collector = memoryCollector();
    await collector.send({
      query,
      body: JSON.stringify([sampleEvent()]),
      headers: { 'x-forwarded-for': '101.188.67.134, 10.0.0.1', 'user-agent': 'Mozilla/5.0' },
    });
    expect(collector.stream.parsed()[0]).toMatchObject({
      ip: '101.188.67.134',
      ua: 'Mozilla/5.0',
      platform: 'Web',
    });
  });

  it('accepts an empty batch without writing anything', async () => {
    const collector = memoryCollector();
    expect((await collector.send({ query, body: '[]' })).statusCode).toBe(200);
    expect(collector.stream.records).toHaveLength(0);
  });
});

describe('GET /health?deep=1', () => {
  it('reports both sinks ok', async () => {
    const response = await memoryCollector().send({ method: 'GET', path: '/health', query: 'deep=1' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok', stream: 'ok', bucket: 'ok' });
  });

  it('reports degraded, still 200, when only the bucket fails', async () => {
    const collector = memoryCollector();
    collector.objects.failing = true;
    const response = await collector.send({ method: 'GET', path: '/health', query: 'deep=1' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'degraded', stream: 'ok', bucket: 'failing' });
  });

  it('caches the answer for a few seconds', async () => {
    const collector = memoryCollector();
    await collector.send({ method: 'GET', path: '/health', query: 'deep=1' });
    collector.objects.failing = true;
    const cached = await collector.send({ method: 'GET', path: '/health', query: 'deep=1' });
    expect(JSON.parse(cached.body).status).toBe('ok');
  });

  it('leaves plain /health free of sink calls', async () => {
    const collector = memoryCollector();
    collector.objects.failing = true;
    const response = await collector.send({ method: 'GET', path: '/health' });
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });
});
