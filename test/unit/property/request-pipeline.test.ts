import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCodeOf } from '../../support/events';
import { EVENT_SHAPES, type RequestSpec } from '../../support/lambda-events';
import { memoryCollector } from '../../support/memory-collector';

/**
 * Property-based specification of the request pipeline: the real Lambda handler with in-memory
 * (always working) sinks, fed arbitrary requests through every Lambda event shape.
 */

/** Every status the wire contract (README "Responses") allows when the sinks work: never a 5xx. */
const CONTRACT_STATUSES = [200, 204, 400, 403, 404, 405, 413];

/** Small limits so that 413 is reachable with generated bodies. */
const SMALL_LIMITS = { CLICKSTREAM_MAX_BODY_BYTES: '3000', CLICKSTREAM_MAX_DECOMPRESSED_BYTES: '6000' };

const text = fc.string({ unit: 'grapheme', maxLength: 40 });

/** Events from nearly valid to nonsense: missing, mistyped and extra fields, non-objects. */
const event = fc.oneof(
  fc.record(
    {
      event_type: fc.oneof(fc.constant('button_click'), text),
      event_id: fc.oneof(fc.uuid(), text),
      timestamp: fc.oneof(fc.integer({ min: 0 }), fc.integer(), fc.double(), text),
      app_id: fc.oneof(fc.constant('test_app'), text),
      platform: fc.oneof(fc.constant('Web'), fc.constant(null), fc.integer()),
      attributes: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      items: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    },
    { requiredKeys: ['event_type', 'event_id', 'timestamp', 'app_id'] },
  ),
  fc.record(
    {
      event_type: fc.constant('page_view'),
      event_id: fc.uuid(),
      timestamp: fc.nat(),
      app_id: fc.constant('test_app'),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

const events = fc.array(event, { maxLength: 12 });

type Encoding = 'json' | 'mobile-gzip' | 'content-encoding-gzip';

interface ArrayRequest {
  readonly events: unknown[];
  readonly encoding: Encoding;
  readonly hashCode: 'none' | 'right' | 'wrong';
}

/** How a batch of events is put on the wire, as the SDKs (or a proxy) would. */
function arrayBody(request: ArrayRequest): {
  body: string | Buffer;
  query: string;
  headers: Record<string, string>;
} {
  const json = JSON.stringify(request.events);
  const sent = request.encoding === 'mobile-gzip' ? gzipSync(json).toString('base64') : json;
  const hash =
    request.hashCode === 'right'
      ? `&hashCode=${hashCodeOf(sent)}`
      : request.hashCode === 'wrong'
        ? '&hashCode=00000000'
        : '';
  const query = `appId=test_app&platform=Web${request.encoding === 'mobile-gzip' ? '&compression=gzip' : ''}${hash}`;
  if (request.encoding === 'content-encoding-gzip') {
    return { body: gzipSync(sent), query, headers: { 'content-encoding': 'gzip' } };
  }
  return { body: sent, query, headers: { 'content-type': 'application/json; charset=utf-8' } };
}

const arrayRequest: fc.Arbitrary<ArrayRequest> = fc.record({
  events,
  encoding: fc.constantFrom<Encoding>('json', 'mobile-gzip', 'content-encoding-gzip'),
  hashCode: fc.constantFrom<ArrayRequest['hashCode']>('none', 'right', 'wrong'),
});

const queryValue = fc.oneof(
  fc.constantFrom('test_app', 'test_release', '', 'unknown_app', 'gzip', 'GZIP', '1', '%zz', '%'),
  text.map(encodeURIComponent),
  text,
);
const randomPairs = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('appId', 'platform', 'compression', 'hashCode', 'upload_timestamp', 'deep'),
      text.map(encodeURIComponent),
    ),
    queryValue,
  ),
  { maxLength: 5 },
);
/** Mostly a registered app (so requests get past the app check), then anything. */
const queryString = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constant([['appId', 'test_app']]) },
      { weight: 1, arbitrary: fc.constant([]) },
    ),
    randomPairs,
  )
  .map(([first, rest]) => [...first, ...rest].map(([name, value]) => `${name}=${value}`).join('&'));

const headerName = fc.oneof(
  fc.constantFrom(
    'content-type',
    'content-encoding',
    'origin',
    'x-forwarded-for',
    'user-agent',
    'cookie',
    'access-control-request-method',
    'access-control-request-headers',
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);
const headers = fc.dictionary(
  headerName,
  fc.oneof(fc.constantFrom('gzip', 'identity', 'br', 'https://example.com', '1.2.3.4, 5.6.7.8'), text),
  { maxKeys: 5 },
);

const anyBody = fc.oneof(
  fc.constant(undefined),
  text,
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  arrayRequest.map((request) => arrayBody(request).body),
  fc.string({ minLength: 3_001, maxLength: 3_200 }),
);

const anyRequest: fc.Arbitrary<RequestSpec> = fc.record({
  method: fc.oneof(
    { weight: 6, arbitrary: fc.constant('POST') },
    { weight: 2, arbitrary: fc.constantFrom('GET', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH') },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/) },
  ),
  path: fc.oneof(
    { weight: 6, arbitrary: fc.constant('/collect') },
    { weight: 2, arbitrary: fc.constantFrom('/health', '/ping', '/', '/collect/', '/COLLECT') },
    { weight: 1, arbitrary: fc.stringMatching(/^\/[A-Za-z0-9/_.%-]{0,20}$/) },
  ),
  query: queryString,
  headers,
  body: anyBody,
  base64: fc.boolean(),
});

const shape = fc.constantFrom(...EVENT_SHAPES);

describe('request pipeline properties', () => {
  const collectors = [memoryCollector(), memoryCollector(SMALL_LIMITS)];

  it('answers every request with a contract status, never a 5xx with working sinks, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(anyRequest, shape, fc.nat({ max: 1 }), async (spec, eventShape, which) => {
        const collector = collectors[which] ?? collectors[0];
        const response = await collector?.send(spec, eventShape);
        expect(CONTRACT_STATUSES).toContain(response?.statusCode);
        expect(response?.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      }),
      { numRuns: 400 },
    );
  });

  it('accounts for every event of an acknowledged batch: accepted + quarantined = events sent', async () => {
    const collector = memoryCollector(SMALL_LIMITS);
    await fc.assert(
      fc.asyncProperty(arrayRequest, shape, async (request, eventShape) => {
        const storedBefore = collector.stream.records.length;
        const { body, query, headers: requestHeaders } = arrayBody(request);
        const response = await collector.send({ query, body, headers: requestHeaders }, eventShape);
        const outcome = collector.outcomes.at(-1);
        const stored = collector.stream.records.slice(storedBefore);
        const storedEvents = stored.reduce((sum, record) => sum + record.eventCount, 0);

        expect(CONTRACT_STATUSES).toContain(response.statusCode);
        expect(outcome?.statusCode).toBe(response.statusCode);
        if (response.statusCode === 200) {
          expect((outcome?.eventsAccepted ?? 0) + (outcome?.eventsQuarantined ?? 0)).toBe(
            request.events.length,
          );
          expect(storedEvents).toBe(outcome?.eventsAccepted);
          expect(response.headers['x-clickstream-quarantined']).toBe(String(outcome?.eventsQuarantined));
        } else {
          // Anything but a 200 acknowledges nothing, so the client keeps (or drops) the batch itself.
          expect(outcome?.eventsAccepted).toBe(0);
          expect(stored).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('acknowledges a well-formed batch whatever its events hold', async () => {
    const collector = memoryCollector();
    await fc.assert(
      fc.asyncProperty(
        events,
        fc.constantFrom<Encoding>('json', 'mobile-gzip'),
        shape,
        async (batch, encoding, eventShape) => {
          const {
            body,
            query,
            headers: requestHeaders,
          } = arrayBody({ events: batch, encoding, hashCode: 'right' });
          const response = await collector.send({ query, body, headers: requestHeaders }, eventShape);
          // Per-event schema failures are quarantined with a 200: a 4xx would make the SDKs resend forever.
          expect(response.statusCode).toBe(200);
        },
      ),
      { numRuns: 200 },
    );
  });
});
