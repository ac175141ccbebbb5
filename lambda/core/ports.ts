import type { EncodedRecord } from './records/record';

/**
 * The ports of the collector core: everything it needs from the outside world, declared here so
 * the core depends on nothing but itself. Adapters implement them — `lambda/http/` (Lambda event
 * shapes), `lambda/sinks/` (Kinesis, S3, in-memory), `lambda/access/` (CORS, JWT) — and import the
 * core, never the other way round.
 */

/** Which kind of endpoint delivered a request; decides which forwarded-for hop is trustworthy. */
export type EndpointKind = 'function-url' | 'http-api' | 'rest-api' | 'alb';

/** See `HttpRequest.body`; `core/body/request-body.ts` gives its size and bytes. */
export type RequestBody = Buffer | string;

/** The one request shape the core works on, whatever carried it. */
export interface HttpRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The request path as received, without the query string. */
  readonly path: string;
  /** The query string as the client sent it (still percent-encoded), without the leading `?`. */
  readonly rawQueryString: string;
  /** Decoded query parameters; when a name repeats, its first value. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case; repeated headers joined with `, ` as HTTP allows. */
  readonly headers: Readonly<Record<string, string>>;
  /** Each cookie as `name=value`, in the order sent. */
  readonly cookies: readonly string[];
  /**
   * The body exactly as the client sent it: its bytes (after undoing the transport's base64, if
   * any), or the text the platform decoded them to, whose UTF-8 is those bytes. A Lambda event
   * hands over text; keeping it spares encoding it to bytes only to decode them again.
   */
  readonly body: RequestBody;
  /** The TCP peer as seen by the service in front of the function (request context), if known. */
  readonly sourceIp: string | null;
  readonly endpoint: EndpointKind;
}

export interface HttpResponse {
  readonly statusCode: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for 200/204; a JSON document otherwise. */
  readonly body: string;
}

export interface StreamPutResult {
  /** Records the stream still refused when the time budget ran out (or failed for good). */
  readonly failed: readonly EncodedRecord[];
  /** How many records were sent again after a partial or whole failure. */
  readonly retries: number;
}

/** The stream good records go to (Kinesis in AWS and locally). */
export interface StreamSink {
  /** Puts every record, retrying failures until `deadline` (epoch ms); never throws. */
  put(records: readonly EncodedRecord[], deadline: number): Promise<StreamPutResult>;
  /** Whether the stream is there and writable (for the deep health check). */
  check(): Promise<boolean>;
}

export interface StoredObject {
  readonly key: string;
  readonly body: Buffer | string;
  readonly contentType: string;
  readonly contentEncoding?: string;
}

/** The bucket that holds the fallback and quarantine prefixes (S3 in AWS and locally). */
export interface ObjectStore {
  /** Stores the object durably or throws. */
  put(object: StoredObject): Promise<void>;
  check(): Promise<boolean>;
}

export type CorsDecision =
  | { readonly kind: 'no-origin' }
  | { readonly kind: 'allowed'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'denied'; readonly origin: string };

/** Which browser origins may send, and what their preflights are granted. */
export interface CorsPolicy {
  /** What to do with a request given its `Origin` header. */
  decide(request: HttpRequest): CorsDecision;
  /**
   * Headers for a 204 answer to a preflight (OPTIONS) request from an allowed origin; an empty
   * object when the origin is absent or not allowed (answer those without CORS headers).
   */
  preflightHeaders(request: HttpRequest): Readonly<Record<string, string>>;
}

export interface Authenticator {
  /**
   * Resolves when the request may proceed for `appId`; otherwise throws a `ForbiddenError`
   * (403: no, malformed, expired or invalid token) or a `ServiceUnavailableError` (503: the key
   * needed to judge the token cannot be fetched right now).
   */
  authenticate(request: HttpRequest, appId: string): Promise<void>;
}

/** Which apps may send. Static from the configuration, or a parameter read at run time. */
export interface AppRegistry {
  /**
   * Whether `appId` is registered. Throws a `ServiceUnavailableError` (503) when the registry
   * cannot tell — never a 403 for an app that may well be registered.
   */
  isRegistered(appId: string): Promise<boolean>;
}

export interface CollectorLogger {
  error(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
}
