import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBase64, sampleEvent } from '../../support/events';
import { memoryCollector } from '../../support/memory-collector';

// Hostile or broken input must get a documented 4xx (or a 200 with quarantine), never a 5xx or a crash.
describe('bad input', () => {
  const send = async (query: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    const collector = memoryCollector();
    const response = await collector.send({ query, body, headers });
    return { ...response, collector };
  };

  it('answers 400 to random bytes', async () => {
    for (let round = 0; round < 20; round += 1) {
      const response = await send('appId=test_app', randomBytes(1 + round * 97));
      expect(response.statusCode).toBe(400);
    }
  });

  it('answers 400 to random bytes declared as gzip', async () => {
    expect(
      (await send('appId=test_app&compression=gzip', randomBytes(512).toString('base64'))).statusCode,
    ).toBe(400);
    expect((await send('appId=test_app', randomBytes(512), { 'content-encoding': 'gzip' })).statusCode).toBe(
      400,
    );
  });

  it('answers 400 to truncated gzip', async () => {
    const whole = gzipSync(JSON.stringify([sampleEvent()]));
    const truncated = whole.subarray(0, whole.length - 8).toString('base64');
    expect((await send('appId=test_app&compression=gzip', truncated)).statusCode).toBe(400);
  });

  it('answers 400 to invalid base64', async () => {
    expect((await send('appId=test_app&compression=gzip', 'H4sI@@@@')).statusCode).toBe(400);
  });

  it('answers 400 to invalid UTF-8, plain or inside gzip', async () => {
    const invalid = Buffer.concat([
      Buffer.from('[{"event_type":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]'),
    ]);
    expect((await send('appId=test_app', invalid)).statusCode).toBe(400);
    expect(
      (await send('appId=test_app&compression=gzip', gzipSync(invalid).toString('base64'))).statusCode,
    ).toBe(400);
  });

  it('quarantines a deeply nested event with a 200', async () => {
    const deep = `[{"event_type":"a","event_id":"b","timestamp":1,"app_id":"c","x":${'['.repeat(200_000)}${']'.repeat(200_000)}}]`;
    const response = await send('appId=test_app', deep);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-clickstream-quarantined']).toBe('1');
    const [line] = response.collector.quarantined();
    expect(line?.reasons).toEqual(['nested deeper than 32 levels']);
    expect(`[${line?.event}]`).toBe(deep);
  });

  it('answers 400 to a deeply nested array body', async () => {
    expect((await send('appId=test_app', `${'['.repeat(500_000)}${']'.repeat(499_999)}`)).statusCode).toBe(
      400,
    );
  });

  it('quarantines huge numbers instead of storing a lossy timestamp', async () => {
    const response = await send(
      'appId=test_app',
      '[{"event_type":"a","event_id":"b","timestamp":1e400,"app_id":"c"}]',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-clickstream-quarantined']).toBe('1');
    expect(response.collector.stream.records).toHaveLength(0);
  });

  it('stores __proto__ and constructor keys verbatim without touching prototypes', async () => {
    const text =
      '[{"event_type":"a","event_id":"b","timestamp":1,"app_id":"c","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"attributes":{"__proto__":"v"}}]';
    const response = await send('appId=test_app', text);
    expect(response.statusCode).toBe(200);
    expect(response.collector.stream.parsed()[0]?.data).toBe(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps __proto__ keys when events are re-serialised after a quarantine', async () => {
    const text =
      '[{"event_type":"a","event_id":"b","timestamp":1,"app_id":"c","__proto__":{"kept":1}},{"bad":true}]';
    const response = await send('appId=test_app', text);
    expect(response.statusCode).toBe(200);
    const data = response.collector.stream.parsed()[0]?.data as string;
    expect(data).toContain('"__proto__":{"kept":1}');
  });

  it('accepts 10,000 tiny events in one request', async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      event_type: 't',
      event_id: String(i),
      timestamp: i,
      app_id: 'a',
    }));
    const response = await send('appId=test_app', JSON.stringify(events));
    expect(response.statusCode).toBe(200);
    expect(response.collector.outcomes[0]?.eventsAccepted).toBe(10_000);
  });

  it('quarantines events of the wrong types and accepts the rest', async () => {
    const events = [
      sampleEvent(),
      42,
      'text',
      null,
      [1],
      { event_type: 1, event_id: 2, timestamp: '3', app_id: false },
    ];
    const response = await send('appId=test_app', JSON.stringify(events));
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-clickstream-quarantined']).toBe('5');
    expect(response.collector.outcomes[0]).toMatchObject({ eventsAccepted: 1, eventsQuarantined: 5 });
  });

  it('answers 400, not 500, to a gzip body whose JSON is broken', async () => {
    expect((await send('appId=test_app&compression=gzip', gzipBase64('[{"a":'))).statusCode).toBe(400);
  });

  it('copes with a hostile query string', async () => {
    const response = await send('appId=test_app&%E0%A4%A=%ZZ&x=%&=&&y', JSON.stringify([sampleEvent()]));
    expect(response.statusCode).toBe(200);
  });
});
