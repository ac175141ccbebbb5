/**
 * The one request shape the collector core works on, whatever carried it: a Lambda function URL,
 * an API Gateway HTTP API (payload 2.0) or REST API (1.0), an ALB target, or the local server.
 * The adapters in `lambda/http/` translate each event shape into this and back.
 */
export type EndpointKind = 'function-url' | 'http-api' | 'rest-api' | 'alb';

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
  /** The body bytes exactly as the client sent them (after undoing the transport's base64, if any). */
  readonly body: Buffer;
  /** The TCP peer as seen by the service in front of the function (request context), if known. */
  readonly sourceIp: string | null;
  /** Which kind of endpoint delivered the request; decides which forwarded-for hop is trustworthy. */
  readonly endpoint: EndpointKind;
}

export interface HttpResponse {
  readonly statusCode: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for 200/204; a JSON document otherwise. */
  readonly body: string;
}
