import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';

/**
 * A test client that puts on the wire what the Clickstream Android and Swift SDKs send, so the
 * collector can be proven against the mobile format without a device. What it reproduces, from
 * reading the SDKs' request code (awslabs/clickstream-android `NetRequest`, `StringUtil`,
 * `EventRecorder`, `UserAgentInterceptor`; awslabs/clickstream-swift `NetRequest`, `CompressUtil`,
 * `String+HashCode`, `EventRecorder`) — described, not copied:
 *
 * - Body: the events as one JSON array; with compression on (the default in both SDKs) the UTF-8
 *   bytes are gzipped and the body is the base64 TEXT of the gzip bytes (Android: `Base64.NO_WRAP`,
 *   no line breaks; Swift: `base64EncodedString()` without options, also unwrapped).
 * - Query, appended to the configured endpoint with each platform's URL builder (OkHttp's
 *   `HttpUrl.Builder.addQueryParameter`, Foundation's `URLComponents.queryItems`), in this order:
 *   Android `platform=Android, appId, hashCode, event_bundle_sequence_id, upload_timestamp,
 *   compression`; Swift `platform=iOS, appId, compression, event_bundle_sequence_id,
 *   upload_timestamp, hashCode`. `compression` is `gzip`, or present and EMPTY when compression is
 *   off. `hashCode` is the first 8 lowercase hex chars of SHA-256 over the body text actually sent
 *   (the base64 text when compressed).
 * - Headers: `Content-Type: application/json; charset=utf-8` (OkHttp takes it from the body's
 *   media type; Swift adds it explicitly), `cookie` only when an auth cookie is configured, and
 *   each HTTP stack's own: OkHttp adds `Host`, `Connection: Keep-Alive`, `Accept-Encoding: gzip`,
 *   and the SDK's network interceptor sets `User-Agent` to Amplify's user-agent string
 *   (`amplify-android:<version> md/<abi> md/<locale>`); URLSession adds `Host`, `Accept: *\/*`,
 *   `Accept-Language`, `Accept-Encoding: gzip, deflate, br`, `Connection: keep-alive` and its
 *   default `User-Agent` (`<app>/<build> CFNetwork/<version> Darwin/<version>`).
 * - Batching: a request carries at most 100 events and at most 512 KB of event JSON; events are
 *   taken in order and the batch closes before the event that would pass either limit (a single
 *   event larger than 512 KB still goes alone).
 * - Success is HTTP 200 only; anything else keeps the batch for a later retry.
 */

export type MobilePlatform = 'Android' | 'iOS';

export const MAX_EVENTS_PER_BATCH = 100;
export const MAX_BATCH_BYTES = 512 * 1024;

/** Representative values: the SDKs' own strings with their variable parts filled in. */
export const ANDROID_USER_AGENT = 'amplify-android:2.14.0 md/arm64-v8a md/en_US';
export const SWIFT_USER_AGENT = 'ShoppingApp/1 CFNetwork/1494.0.7 Darwin/23.4.0';

export type MobileEvent = Record<string, unknown>;

export interface MobileRequest {
  readonly platform: MobilePlatform;
  /** Path and query exactly as the SDK's URL builder writes them. */
  readonly pathAndQuery: string;
  /** Header name/value pairs in the order the HTTP stack writes them. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The body text sent: event JSON, or base64 of its gzip bytes. */
  readonly body: string;
  readonly events: readonly MobileEvent[];
  readonly hashCode: string;
}

export interface MobileRequestOptions {
  readonly platform: MobilePlatform;
  /** The endpoint the app is configured with, e.g. `http://127.0.0.1:8080/collect`. */
  readonly endpoint: string;
  readonly appId: string;
  readonly bundleSequenceId: number;
  /** @default true — both SDKs compress unless told not to */
  readonly compress?: boolean;
  /** @default Date.now() */
  readonly uploadTimestamp?: number;
  /** An auth cookie, sent as the `cookie` header when set. */
  readonly authCookie?: string;
}

export function mobileHashCode(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

/** gzip of the UTF-8 bytes, as base64 text without line breaks. */
function gzipBase64Text(json: string): string {
  return gzipSync(Buffer.from(json, 'utf8')).toString('base64');
}

/** OkHttp and URLComponents both percent-encode query values; for our values this is URLSearchParams'. */
function queryOf(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

export function buildMobileRequest(
  events: readonly MobileEvent[],
  options: MobileRequestOptions,
): MobileRequest {
  const compress = options.compress ?? true;
  const json = JSON.stringify(events);
  const body = compress ? gzipBase64Text(json) : json;
  const hashCode = mobileHashCode(body);
  const compression = compress ? 'gzip' : '';
  const uploadTimestamp = String(options.uploadTimestamp ?? Date.now());
  const sequence = String(options.bundleSequenceId);
  const endpoint = new URL(options.endpoint);
  const query =
    options.platform === 'Android'
      ? queryOf([
          ['platform', 'Android'],
          ['appId', options.appId],
          ['hashCode', hashCode],
          ['event_bundle_sequence_id', sequence],
          ['upload_timestamp', uploadTimestamp],
          ['compression', compression],
        ])
      : queryOf([
          ['platform', 'iOS'],
          ['appId', options.appId],
          ['compression', compression],
          ['event_bundle_sequence_id', sequence],
          ['upload_timestamp', uploadTimestamp],
          ['hashCode', hashCode],
        ]);
  const length = String(Buffer.byteLength(body, 'utf8'));
  const cookie: Array<[string, string]> =
    options.authCookie === undefined ? [] : [['cookie', options.authCookie]];
  const headers: Array<[string, string]> =
    options.platform === 'Android'
      ? [
          ['Content-Type', 'application/json; charset=utf-8'],
          ...cookie,
          ['Content-Length', length],
          ['Host', endpoint.host],
          ['Connection', 'Keep-Alive'],
          ['Accept-Encoding', 'gzip'],
          ['User-Agent', ANDROID_USER_AGENT],
        ]
      : [
          ['Host', endpoint.host],
          ['Content-Type', 'application/json; charset=utf-8'],
          ...cookie,
          ['Accept', '*/*'],
          ['Accept-Language', 'en-US,en;q=0.9'],
          ['Accept-Encoding', 'gzip, deflate, br'],
          ['Content-Length', length],
          ['Connection', 'keep-alive'],
          ['User-Agent', SWIFT_USER_AGENT],
        ];
  return {
    platform: options.platform,
    pathAndQuery: `${endpoint.pathname}?${query}`,
    headers,
    body,
    events,
    hashCode,
  };
}

/** Splits stored events into requests the way the SDKs do: ≤ 100 events and ≤ 512 KB of event JSON each. */
export function batchLikeSdk(events: readonly MobileEvent[]): MobileEvent[][] {
  const batches: MobileEvent[][] = [];
  let current: MobileEvent[] = [];
  let size = 0;
  for (const event of events) {
    const eventSize = Buffer.byteLength(JSON.stringify(event), 'utf8');
    const full = current.length >= MAX_EVENTS_PER_BATCH || size + eventSize > MAX_BATCH_BYTES;
    if (full && current.length > 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += eventSize;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * Sends a request with exactly the given header names, order and body bytes (Node's `fetch` would
 * add and normalise headers of its own). Bounded: a stuck collector fails the test, not the run.
 */
export function sendRaw(
  baseUrl: string,
  request: {
    readonly method: string;
    readonly pathAndQuery: string;
    readonly headers: ReadonlyArray<readonly [string, string]>;
    readonly body: string | Buffer;
  },
  timeoutMs = 10_000,
): Promise<WireResponse> {
  const target = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.pathAndQuery,
        // A flat [name, value, name, value…] list keeps the names' case and order as given.
        headers: request.headers.flat(),
        setHost: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** A mobile SDK event as the Android/Swift SDKs build it (field set of their `AnalyticsEvent`/`ClickstreamEvent`). */
export function mobileEvent(
  platform: MobilePlatform,
  appId: string,
  overrides: Record<string, unknown> = {},
): MobileEvent {
  const android = platform === 'Android';
  return {
    unique_id: 'c84ad28d-16a8-4af4-a331-f34cdc7a7a18',
    event_type: 'button_click',
    event_id: randomUUID(),
    app_id: appId,
    timestamp: Date.now(),
    device_id: android ? 'f24bec657ea8eff7' : 'A7B1C9D2-6E3F-4A5B-8C7D-9E0F1A2B3C4D',
    platform,
    os_version: android ? '14' : '17.4',
    make: android ? 'samsung' : 'apple',
    brand: android ? 'samsung' : 'apple',
    model: android ? 'SM-S918B' : 'iPhone15,3',
    locale: 'en_US',
    carrier: 'UNKNOWN',
    network_type: 'WIFI',
    screen_height: 2340,
    screen_width: 1080,
    zone_offset: 28_800_000,
    system_language: 'en',
    country_code: 'US',
    sdk_version: '0.14.0',
    sdk_name: 'aws-solution-clickstream-sdk',
    app_version: '1.0.0',
    app_package_name: 'com.example.shopping',
    app_title: 'Shopping',
    user: { _user_first_touch_timestamp: { value: 1_700_000_000_000, set_timestamp: 1_700_000_000_000 } },
    attributes: {
      _session_id: 'f24bec65-20240101-000000123',
      _session_start_timestamp: 1_700_000_000_000,
      _session_duration: 1200,
      _session_number: 1,
      _screen_name: 'ProductActivity',
      productName: 'shoes',
      Price: 99.9,
    },
    ...overrides,
  };
}
