import * as z from 'zod/mini';
import { APP_ID_PATTERN, APP_ID_RULE } from '../lambda/core/app-ids';
import { choice, flag, formatted, integer, list, text } from './kinds';

/**
 * The function's settings: each is a field of `CollectorConfig` (lambda/config.ts) under the same
 * name, read from its environment variable by the function and by `npm start`, and — where it has
 * a context key — set by the stack from CDK context. To add one: add an entry here (or in
 * auth-settings.ts), then use `config.<name>` where it matters. The README tables follow from
 * `npm run docs`.
 */

const MIB = 1024 * 1024;

const APP_ID = APP_ID_PATTERN;

/** Where a deployed stack keeps its app registry (lib/app-registry.ts; `npm run apps --stack`). */
export function registryParameterName(stackName: string): string {
  return `/clickstream/${stackName}/app-ids`;
}
export const PREFIX = /^([A-Za-z0-9_.=-]+\/)+$/;
const PREFIX_MESSAGE = 'must be path segments ending with "/"';

export const COLLECTOR_SETTINGS = {
  appIds: list({
    scope: 'function',
    env: 'CLICKSTREAM_APP_IDS',
    context: 'appIds',
    required: true,
    requiredHint: 'register the app IDs your SDKs send, comma-separated (e.g. my_app,my_other_app)',
    localDefault: 'test_app,test_release',
    item: APP_ID,
    itemMessage: APP_ID_RULE,
    doc: 'comma-separated registered app IDs (the `appId` the SDKs send); any other `appId` gets 403. A deployed stack seeds its app registry with them ([details](#registering-apps-without-a-deploy))',
  }),
  appRegistryParameter: text({
    scope: 'function',
    env: 'CLICKSTREAM_APP_REGISTRY_PARAMETER',
    doc: 'an SSM parameter holding the registered app IDs (comma-separated), read at run time instead of `CLICKSTREAM_APP_IDS` (the stack creates it and sets this)',
  }),
  appRegistryCacheSeconds: integer({
    scope: 'function',
    env: 'CLICKSTREAM_APP_REGISTRY_CACHE_SECONDS',
    context: 'appRegistryCacheSeconds',
    default: 60,
    min: 1,
    max: 3_600,
    doc: 'how long the function keeps the registry parameter before reading it again: an app added or removed takes effect within this time',
  }),
  collectPath: text({
    scope: 'function',
    env: 'CLICKSTREAM_PATH',
    context: 'collectPath',
    default: '/collect',
    pattern: /^\/[A-Za-z0-9/_.-]*$/,
    patternMessage: 'must be a path starting with "/"',
    doc: 'the path the SDKs POST to',
  }),
  corsOrigins: list({
    scope: 'function',
    env: 'CLICKSTREAM_CORS_ORIGINS',
    context: 'corsOrigins',
    default: [],
    defaultText: 'empty (no browser origin)',
    doc: 'allowed browser origins, exact or `https://*.example.com` (one label, not directly under a public suffix) ([details](#cors-browser-origins))',
  }),
  streamName: text({
    scope: 'function',
    env: 'CLICKSTREAM_STREAM_NAME',
    required: true,
    localDefault: 'clickstream-local',
    doc: 'the Kinesis stream (the stack sets it)',
  }),
  bucket: text({
    scope: 'function',
    env: 'CLICKSTREAM_ARCHIVE_BUCKET',
    required: true,
    localDefault: 'clickstream-local',
    doc: 'the archive bucket: the collector writes its fallback and quarantine there, the archive consumer the archive and the tables (the stack sets it)',
  }),
  fallbackPrefix: text({
    scope: 'function',
    env: 'CLICKSTREAM_FALLBACK_PREFIX',
    context: 'fallbackPrefix',
    default: 'fallback/',
    pattern: PREFIX,
    patternMessage: PREFIX_MESSAGE,
    doc: 'where records Kinesis would not take are written (gzip NDJSON, the record format)',
  }),
  quarantinePrefix: text({
    scope: 'function',
    env: 'CLICKSTREAM_QUARANTINE_PREFIX',
    context: 'quarantinePrefix',
    default: 'quarantine/',
    pattern: PREFIX,
    patternMessage: PREFIX_MESSAGE,
    doc: 'where rejected bodies and invalid events are written, with reasons',
  }),
  maxBodyBytes: integer({
    scope: 'function',
    env: 'CLICKSTREAM_MAX_BODY_BYTES',
    context: 'maxBodyBytes',
    // The web SDK cuts batches at 512 K UTF-16 units: up to ~1.5 MB of UTF-8 for CJK text.
    default: 2 * MIB,
    defaultText: '`2097152`; `1048576` with `endpointType=alb`',
    min: 1,
    max: 10 * MIB,
    doc: 'largest raw body; larger → 413 before any decoding (≤ 1048576 with `alb`, the most an ALB passes to Lambda)',
  }),
  maxDecompressedBytes: integer({
    scope: 'function',
    env: 'CLICKSTREAM_MAX_DECOMPRESSED_BYTES',
    context: 'maxDecompressedBytes',
    default: 8 * MIB,
    min: 1,
    max: 64 * MIB,
    doc: 'largest body after gzip; larger → 413 (decompression bombs)',
  }),
  maxRecordBytes: integer({
    scope: 'function',
    env: 'CLICKSTREAM_MAX_RECORD_BYTES',
    context: 'maxRecordBytes',
    default: MIB,
    min: 16 * 1024,
    max: 10 * MIB,
    doc: 'largest Kinesis record (data + partition key); bigger requests are split. Above 1 MiB the stack configures the stream for large records',
  }),
  maxEventsPerRequest: integer({
    scope: 'function',
    env: 'CLICKSTREAM_MAX_EVENTS_PER_REQUEST',
    context: 'maxEventsPerRequest',
    default: 10_000,
    min: 1,
    max: 100_000,
    doc: 'more elements in the array → 413 `too_many_events`; in a body over 256 K characters, before any is parsed (SDKs send at most 100)',
  }),
  validationMode: choice({
    scope: 'function',
    env: 'CLICKSTREAM_VALIDATION_MODE',
    context: 'validationMode',
    values: ['lenient', 'strict'],
    default: 'lenient',
    doc: '`lenient`: quarantine only what the downstream processing cannot make a row of; `strict`: the API document limits too ([details](#which-events-are-quarantined))',
  }),
  logRequests: flag({
    scope: 'function',
    env: 'POWERTOOLS_LOGGER_LOG_EVENT',
    context: 'logRequests',
    default: false,
    doc: 'log each request with its credentials (`authorization`, cookies) replaced by a marker; the raw event is never logged',
  }),
  kinesisRetryBudgetMs: integer({
    scope: 'function',
    env: 'CLICKSTREAM_KINESIS_RETRY_BUDGET_MS',
    default: 2_500,
    min: 0,
    max: 60_000,
    doc: 'how long refused records are retried (full-jitter backoff) before the S3 fallback',
  }),
  sinkConnectTimeoutMs: integer({
    scope: 'function',
    env: 'CLICKSTREAM_SINK_CONNECT_TIMEOUT_MS',
    default: 1_000,
    min: 50,
    max: 30_000,
    doc: 'connection timeout of each Kinesis/S3 call',
  }),
  sinkRequestTimeoutMs: integer({
    scope: 'function',
    env: 'CLICKSTREAM_SINK_REQUEST_TIMEOUT_MS',
    default: 2_000,
    min: 50,
    max: 60_000,
    doc: 'timeout of each Kinesis/S3 call',
  }),
  retryAfterSeconds: integer({
    scope: 'function',
    env: 'CLICKSTREAM_RETRY_AFTER_SECONDS',
    default: 5,
    min: 1,
    max: 3_600,
    doc: '`Retry-After` on 503',
  }),
  metricsFlushSeconds: integer({
    scope: 'function',
    env: 'CLICKSTREAM_METRICS_FLUSH_SECONDS',
    default: 60,
    min: 0,
    max: 900,
    doc: 'request metrics are summed per function instance and published at most this often (at once after a 5xx or a fallback write); `0` publishes every request ([why](#monitoring))',
  }),
  ipPolicy: choice({
    scope: 'function',
    env: 'CLICKSTREAM_IP_POLICY',
    context: 'ipPolicy',
    values: ['first-forwarded', 'trusted-hop'],
    default: 'first-forwarded',
    doc: 'which address goes into `ip`; `trusted-hop` is spoof-resistant and safe on all three endpoint types ([details](#client-ip-and-anonymisation))',
  }),
  ipAnonymization: choice({
    scope: 'function',
    env: 'CLICKSTREAM_IP_ANONYMIZATION',
    context: 'ipAnonymization',
    values: ['keep', 'truncate', 'drop'],
    default: 'keep',
    doc: 'how `ip` is anonymised before the record is written',
  }),
  region: text({
    scope: 'function',
    env: 'AWS_REGION',
    default: 'us-east-1',
    localDefault: 'us-east-1',
    defaultText: 'set by Lambda',
    doc: 'the Region of the stream and bucket',
  }),
  kinesisEndpoint: formatted({
    scope: 'function',
    env: 'AWS_ENDPOINT_URL_KINESIS',
    format: z.url(),
    doc: 'use a Kinesis-compatible service instead of AWS (`npm start`: instead of its embedded emulator)',
  }),
  s3Endpoint: formatted({
    scope: 'function',
    env: 'AWS_ENDPOINT_URL_S3',
    format: z.url(),
    doc: 'use an S3-compatible service instead of AWS, with path-style addressing (`npm start`: instead of its embedded emulator)',
  }),
};
