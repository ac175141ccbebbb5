/**
 * Every failure the collector answers deliberately is a `CollectorError`: it carries the HTTP
 * status, a stable machine-readable `code` and a message safe to show the client. Anything else
 * thrown is a bug and becomes a 500 whose body reveals nothing (see `errorResponse` in `responses.ts`).
 */
export abstract class CollectorError extends Error {
  abstract readonly statusCode: number;
  /** Extra response headers this error needs (`Allow`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the body cannot be read as a batch of events (bad base64/gzip/UTF-8/JSON, hashCode mismatch). */
export class BadRequestError extends CollectorError {
  readonly statusCode = 400;
}

/** 403: unknown app, missing or invalid credentials, or a browser origin that is not allowed. */
export class ForbiddenError extends CollectorError {
  readonly statusCode = 403;
}

export class NotFoundError extends CollectorError {
  readonly statusCode = 404;
  constructor() {
    super('not_found', 'No such endpoint');
  }
}

export class MethodNotAllowedError extends CollectorError {
  readonly statusCode = 405;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(allowed: readonly string[]) {
    super('method_not_allowed', `Use ${allowed.join(' or ')} on this path`);
    this.headers = { allow: allowed.join(', ') };
  }
}

/** 413: the raw body, or what it decompresses to, is over the limit. */
export class PayloadTooLargeError extends CollectorError {
  readonly statusCode = 413;
}

/** 503: nothing durable could take the data (or a dependency needed to judge it is down); retry later. */
export class ServiceUnavailableError extends CollectorError {
  readonly statusCode = 503;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(code, message);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}
