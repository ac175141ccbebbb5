import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import type { LambdaHttpHandler } from '../lambda/app';
import type { RequestOutcome } from '../lambda/core/outcome';
import {
  createLocalContext,
  fromFunctionUrlResult,
  type LocalResponse,
  toFunctionUrlEvent,
} from './function-url-event';
import { formatRequestLine } from './request-line';

/**
 * The HTTP side of the local collector: a Node request in, a function URL event to the Lambda
 * handler, its result back as the HTTP response, one line per request. It knows nothing about
 * emulators or configuration (see collector.ts).
 */

type OutcomeListener = (outcome: RequestOutcome, context: Context) => void;

/** One answered request, as the adapter saw it (intercepted requests are not reported). */
export interface AnsweredRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  readonly statusCode: number;
  /** The handler's outcome; undefined when the adapter answered alone (413) or the handler threw. */
  readonly outcome: RequestOutcome | undefined;
  /** When the request arrived, and when its answer was decided (epoch ms). */
  readonly arrivedAt: number;
  readonly answeredAt: number;
}

export interface HttpAdapterOptions {
  /** Builds the handler, given where it reports each request's outcome. */
  readonly buildHandler: (onOutcome: OutcomeListener) => LambdaHttpHandler;
  readonly maxBodyBytes: number;
  /** Prints the per-request line; omitted when quiet. */
  readonly say?: (line: string) => void;
  /** Handles a request before the collector does (e.g. the inspector); true when it answered. */
  readonly intercept?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  /** Told of each answer just before it is written, so an observer (the inspector) is never behind the client. */
  readonly onAnswer?: (answer: AnsweredRequest) => void;
}

export interface HttpAdapter {
  /** The `requestListener` for `http.createServer`. */
  readonly listener: (request: IncomingMessage, response: ServerResponse) => void;
  /** From now on every response asks the client to close its connection. */
  closing(): void;
}

/** Bytes read and thrown away after a 413, so the client can finish sending and read the answer. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;
/** How long `closeServer` waits for requests in flight before closing their connections. */
const CLOSE_GRACE_MS = 10_000;

type BodyResult = { readonly kind: 'complete'; readonly body: Buffer } | { readonly kind: 'too-large' };

/** Reads the body, but never buffers more than `maxBytes`: past that it only drains (up to a limit). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    let chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    const giveUp = (): void => {
      tooLarge = true;
      chunks = [];
      resolve({ kind: 'too-large' });
    };
    if (Number.isFinite(declared) && declared > maxBytes) giveUp();
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (tooLarge) {
        if (received > maxBytes + DISCARD_LIMIT_BYTES) request.destroy();
        return;
      }
      if (received > maxBytes) {
        giveUp();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) return;
      // A small body arrives in one chunk: no copy needed.
      resolve({
        kind: 'complete',
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      });
    });
    request.on('error', reject);
  });
}

function errorResponse(statusCode: number, error: string, message: string): LocalResponse {
  const requestId = randomBytes(16).toString('hex');
  return {
    statusCode,
    headers: { 'content-type': ['application/json'], 'x-request-id': [requestId] },
    body: Buffer.from(JSON.stringify({ error, message, requestId })),
  };
}

export function writeResponse(response: ServerResponse, local: LocalResponse, close: boolean): void {
  const headers: Record<string, string | string[]> = {};
  for (const name in local.headers) {
    // A known length, as AWS sends it, rather than chunked encoding of a body we hold whole anyway.
    if (name !== 'transfer-encoding') headers[name] = local.headers[name] as string[];
  }
  // (204 and 304 must not carry one.)
  if (local.statusCode !== 204 && local.statusCode !== 304)
    headers['content-length'] = String(local.body.length);
  if (close) headers.connection = 'close';
  response.writeHead(local.statusCode, headers);
  response.end(local.body);
}

function queryAppId(url: string | undefined): string | null {
  const query = url?.split('?')[1];
  return query === undefined ? null : new URLSearchParams(query).get('appId');
}

export function createHttpAdapter(options: HttpAdapterOptions): HttpAdapter {
  // Each outcome is tied to its request through the Lambda context's request id.
  const outcomes = new Map<string, RequestOutcome>();
  const handler = options.buildHandler((outcome, context) => {
    outcomes.set(context.awsRequestId, outcome);
  });
  let closing = false;

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (options.intercept !== undefined && (await options.intercept(request, response))) return;
    const started = performance.now();
    const time = new Date();
    const method = (request.method ?? 'GET').toUpperCase();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const answer = (local: LocalResponse, outcome: RequestOutcome | undefined): void =>
      options.onAnswer?.({
        method,
        path,
        statusCode: local.statusCode,
        outcome,
        arrivedAt: time.getTime(),
        answeredAt: Date.now(),
      });
    const line = (local: LocalResponse, outcome: RequestOutcome | undefined, reason: string | null): void => {
      options.say?.(
        formatRequestLine({
          time,
          method,
          path,
          statusCode: local.statusCode,
          durationMs: performance.now() - started,
          outcome,
          appId: queryAppId(request.url),
          requestId: local.headers['x-request-id']?.[0] ?? null,
          reason,
        }),
      );
    };

    const read = await readBody(request, options.maxBodyBytes);
    if (read.kind === 'too-large') {
      // Answered here so an oversized body is never buffered whole; same shape as the handler's.
      const local = errorResponse(
        413,
        'payload_too_large',
        `The request body exceeds ${options.maxBodyBytes} bytes`,
      );
      answer(local, undefined);
      writeResponse(response, local, true);
      line(local, undefined, 'body over CLICKSTREAM_MAX_BODY_BYTES');
      return;
    }
    const awsRequestId = randomUUID();
    const event = toFunctionUrlEvent(
      {
        method: request.method,
        url: request.url,
        rawHeaders: request.rawHeaders,
        httpVersion: request.httpVersion,
        remoteAddress: request.socket.remoteAddress,
      },
      read.body,
      { now: time, requestId: awsRequestId },
    );
    let local: LocalResponse;
    let reason: string | null = null;
    let stack: string | undefined;
    try {
      local = fromFunctionUrlResult(await handler(event, createLocalContext({ requestId: awsRequestId })));
    } catch (error) {
      // The Lambda runtime would answer 502 to a crashed invocation; locally we show why.
      local = errorResponse(500, 'internal_error', 'The collector failed to handle the request');
      reason = `handler threw: ${error instanceof Error ? error.message : String(error)}`;
      stack = error instanceof Error ? error.stack : undefined;
    }
    const outcome = outcomes.get(awsRequestId);
    outcomes.delete(awsRequestId);
    answer(local, outcome);
    writeResponse(response, local, closing);
    line(local, outcome, reason);
    if (stack !== undefined) options.say?.(stack);
  }

  return {
    listener: (request, response) => {
      serve(request, response).catch((error: unknown) => {
        // Mostly clients that went away mid-request; nothing can be answered to them.
        options.say?.(`local collector: request failed: ${String(error)}`);
        if (!response.headersSent)
          writeResponse(response, errorResponse(500, 'internal_error', 'Internal error'), true);
        else response.destroy();
      });
    },
    closing: () => {
      closing = true;
    },
  };
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('local collector is not listening on a TCP port'));
        return;
      }
      resolve(address);
    });
  });
}

/** Lets requests in flight finish (up to a grace period), then closes every connection. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Idle keep-alive connections would hold `close` open until they time out.
    server.closeIdleConnections();
  });
}
