import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from '../../../lambda/core/outcome';
import type { AnsweredRequest } from '../../../local/http-adapter';
import { Inspector } from '../../../local/inspector/inspector';
import type { ReadResult } from '../../../local/shard-reader';
import { sinkRecordBytes } from '../../support/sink-records';

/**
 * The inspector's reading on demand, with in-memory stand-ins for the stream and the bucket (the
 * integration tests use the emulators): when a sync starts, what a failed read leaves, what a
 * reset hides.
 */

const RID = 'ab'.repeat(16);
const AT = Date.parse('2024-06-27T06:19:45.123Z');

const recordBytes = (receivedAt: number, eventId: string): Uint8Array =>
  sinkRecordBytes([{ event_type: 'click', event_id: eventId }], { appId: 'shop', rid: RID, receivedAt });

function answered(outcome: Partial<RequestOutcome>, at = AT): AnsweredRequest {
  return {
    method: 'POST',
    path: '/collect',
    statusCode: outcome.statusCode ?? 200,
    arrivedAt: at,
    answeredAt: at,
    outcome: {
      route: 'collect',
      statusCode: 200,
      requestId: RID,
      appId: 'shop',
      eventsAccepted: 0,
      eventsQuarantined: 0,
      eventsToFallback: 0,
      streamRetries: 0,
      bytesIn: 0,
      errorCode: null,
      firstReason: null,
      ...outcome,
    },
  };
}

function rig(now: () => number) {
  const waiting: Array<ReadResult['records'][number]> = [];
  const objects = new Map<string, Buffer>();
  let reads = 0;
  // The first read waits for `release()`, so a test can ask for syncs while one runs.
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let failObjects = false;
  const inspector = new Inspector({
    stream: {
      read: async () => {
        reads += 1;
        const records = waiting.splice(0);
        if (reads === 1) await gate;
        return { records, behind: false, caughtUp: true };
      },
    },
    getObject: async (key) => {
      if (failObjects) throw new Error('S3 is down');
      return objects.get(key) ?? null;
    },
    collectPath: '/collect',
    quarantinePrefix: 'quarantine/',
    fallbackPrefix: 'fallback/',
    now,
  });
  return {
    inspector,
    reads: () => reads,
    put: (receivedAt: number, eventId: string) =>
      waiting.push({
        shardId: 's',
        sequenceNumber: String(waiting.length),
        partitionKey: RID,
        data: recordBytes(receivedAt, eventId),
        arrivedAt: new Date(receivedAt),
      }),
    objects,
    release: () => release(),
    failObjects: (fail: boolean) => {
      failObjects = fail;
    },
  };
}

describe('Inspector', () => {
  it('answers a sync asked for while one runs with a later one that sees what arrived meanwhile', async () => {
    const test = rig(() => AT);
    const first = test.inspector.sync();
    while (test.reads() === 0) await new Promise((resolve) => setImmediate(resolve));
    test.put(AT, 'arrived-during-first');
    const second = test.inspector.sync();
    const third = test.inspector.sync();

    expect(third).toBe(second);
    expect(second).not.toBe(first);
    test.release();
    await Promise.all([first, second]);

    expect(test.reads()).toBe(2);
    expect(test.inspector.events({}, 10).map((item) => item.eventId)).toEqual(['arrived-during-first']);
  });

  it('reads the quarantine object an answer announced, and again on the next sync when the read failed', async () => {
    const test = rig(() => AT);
    test.release();
    await test.inspector.sync();
    const line = {
      kind: 'invalid_event',
      rid: RID,
      app_id: 'shop',
      ingest_time: AT,
      reasons: ['r'],
      event: '{}',
    };
    test.objects.set(
      `quarantine/year=2024/month=06/day=27/hour=06/${RID}.ndjson.gz`,
      gzipSync(JSON.stringify(line)),
    );
    test.inspector.observe(answered({ eventsQuarantined: 1 }));

    test.failObjects(true);
    await expect(test.inspector.sync()).rejects.toThrow('S3 is down');
    test.failObjects(false);
    await test.inspector.sync();

    expect(test.inspector.quarantine({}, 10)).toEqual([
      expect.objectContaining({ kind: 'invalid_event', reasons: ['r'] }),
    ]);
    expect(test.inspector.summary().quarantined).toBe(1);
  });

  it('never shows a request received before the reset, even when it is read after it', async () => {
    let now = AT;
    const test = rig(() => now);
    test.release();
    await test.inspector.sync();
    test.put(AT + 5, 'before-reset');
    now = AT + 10;
    test.inspector.reset();
    test.put(AT + 15, 'after-reset');

    await test.inspector.sync();

    expect(test.inspector.events({}, 10).map((item) => item.eventId)).toEqual(['after-reset']);
    expect(test.inspector.summary()).toMatchObject({ accepted: 1, since: new Date(AT + 10).toISOString() });
  });

  it('counts only answers to the collect path, preflights aside', () => {
    const test = rig(() => AT);
    test.inspector.observe(answered({ statusCode: 403, errorCode: 'app_id_unknown' }));
    test.inspector.observe({ ...answered({}), method: 'OPTIONS', statusCode: 204 });
    test.inspector.observe(answered({ route: 'validate' }));
    test.inspector.observe({ ...answered({}), outcome: undefined, statusCode: 413 });
    test.inspector.observe({ ...answered({}), outcome: undefined, path: '/other', statusCode: 413 });

    expect(test.inspector.summary().requests).toEqual({
      total: 2,
      accepted: 0,
      rejected: 2,
      failed: 0,
      byStatus: { '403': 1, '413': 1 },
      byError: { app_id_unknown: 1, payload_too_large: 1 },
    });
  });
});
