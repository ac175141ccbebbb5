import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HandlerOptions, LambdaHttpHandler } from '../lambda/app';
import { type CollectorConfig, parseConfig } from '../lambda/config';
import type { RequestOutcome } from '../lambda/core/outcome';
import { type Archiver, startArchiver } from './archiver';
import { createKinesisClient, createS3Client } from './aws-local-clients';
import { type KinesisEmulator, type S3Emulator, startKinesisEmulator, startS3Emulator } from './emulators';
import {
  createLocalContext,
  fromFunctionUrlResult,
  type LocalResponse,
  toFunctionUrlEvent,
} from './function-url-event';
import {
  applyProcessEnv,
  buildCollectorEnv,
  DEFAULT_DATA_DIR,
  type Environment,
  LOCAL_HOST,
  parseLocalSettings,
  planProcessEnv,
  processEnvironment,
} from './local-config';
import { formatRequestLine } from './request-line';

/**
 * The local collector: the Lambda's own handler behind a Node HTTP server that turns each request
 * into a function URL event, with embedded Kinesis and S3 emulators and a local archiver.
 */

export type HandlerFactory = (config: CollectorConfig, options: HandlerOptions) => LambdaHttpHandler;

export interface LocalCollectorOptions {
  /** The environment to configure from. @default process.env */
  readonly env?: Environment;
  /** 0 = any free port. @default PORT, else 8080 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * true: always start both emulators (ignoring `AWS_ENDPOINT_URL_*`); false: never (use those
   * endpoints, or AWS). @default each emulator starts unless its `AWS_ENDPOINT_URL_*` is set
   */
  readonly embedEmulators?: boolean;
  /**
   * Where the S3 emulator keeps its objects (in `<dataDir>/s3`).
   * @default CLICKSTREAM_LOCAL_DATA_DIR, else `<repo>/.local`; with `port: 0` a fresh temporary
   * folder removed by `stop()`, so parallel tests never share data
   */
  readonly dataDir?: string;
  /** No per-request or archiver lines. @default false */
  readonly quiet?: boolean;
  /** Run the local archiver. @default CLICKSTREAM_LOCAL_ARCHIVER, else on when the S3 emulator is embedded */
  readonly archiver?: boolean;
  /** @default 0 when `port` is 0, else CLICKSTREAM_LOCAL_KINESIS_PORT or 4567 */
  readonly kinesisPort?: number;
  /** @default 0 when `port` is 0, else CLICKSTREAM_LOCAL_S3_PORT or 4568 */
  readonly s3Port?: number;
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Builds the handler; tests of the adapter inject one. @default buildHandler of lambda/app.ts */
  readonly buildHandler?: HandlerFactory;
}

export interface LocalCollector {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly kinesisEndpoint: string;
  readonly s3Endpoint: string;
  readonly streamName: string;
  readonly bucket: string;
  readonly config: CollectorConfig;
  readonly embedded: { readonly kinesis: boolean; readonly s3: boolean };
  /** Folder of the embedded S3 emulator's objects, if it runs. */
  readonly s3Directory: string | undefined;
  /** Key prefix of the archive, when the archiver runs. */
  readonly archivePrefix: string | undefined;
  /** Key prefix of the flattened tables, when the archiver runs. */
  readonly tablesPrefix: string | undefined;
  /**
   * Archives what is on the stream now (raw archive and tables), without waiting for the next
   * poll; resolves with the number of records archived (0 when the archiver is off).
   */
  drainArchive(): Promise<number>;
  /** Start-up notes for the user (credentials choices). */
  readonly warnings: readonly string[];
  stop(): Promise<void>;
}

/** Bytes read and thrown away after a 413, so the client can finish sending and read the answer. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;
/** How long `stop()` waits for requests in flight before closing their connections. */
const CLOSE_GRACE_MS = 10_000;
/** Shown as the endpoint when none is configured and the SDK picks AWS's own. */
const AWS_DEFAULT_ENDPOINT = '(AWS default endpoint)';

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

function requestIdHex(): string {
  return randomBytes(16).toString('hex');
}

function errorResponse(statusCode: number, error: string, message: string, requestId: string): LocalResponse {
  return {
    statusCode,
    headers: { 'content-type': ['application/json'], 'x-request-id': [requestId] },
    body: Buffer.from(JSON.stringify({ error, message, requestId })),
  };
}

function queryAppId(url: string | undefined): string | null {
  const query = url?.split('?')[1];
  return query === undefined ? null : new URLSearchParams(query).get('appId');
}

function firstHeader(response: LocalResponse, name: string): string | null {
  return response.headers[name]?.[0] ?? null;
}

function writeResponse(response: ServerResponse, local: LocalResponse, close: boolean): void {
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

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
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
function closeServer(server: Server): Promise<void> {
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

interface ServeDependencies {
  readonly handler: LambdaHttpHandler;
  readonly maxBodyBytes: number;
  /**
   * Where the handler's `onOutcome` leaves the outcome of the request in whose context it runs;
   * undefined when quiet (no request lines), which spares every request the async-context
   * bookkeeping and the line's own work.
   */
  readonly outcomes: AsyncLocalStorage<OutcomeSlot> | undefined;
  readonly say: (line: string) => void;
}

type OutcomeSlot = { outcome: RequestOutcome | undefined };

/** One request: read the body (capped), invoke the handler with a function URL event, answer, log. */
async function serveRequest(
  deps: ServeDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const time = new Date();
  const outcomes = deps.outcomes;
  const line = (local: LocalResponse, outcome: RequestOutcome | undefined, reason: string | null): void => {
    if (outcomes === undefined) return;
    deps.say(
      formatRequestLine({
        time,
        method: (request.method ?? 'GET').toUpperCase(),
        path: (request.url ?? '/').split('?')[0] ?? '/',
        statusCode: local.statusCode,
        durationMs: performance.now() - started,
        outcome,
        appId: queryAppId(request.url),
        requestId: firstHeader(local, 'x-request-id'),
        reason,
      }),
    );
  };

  const read = await readBody(request, deps.maxBodyBytes);
  if (read.kind === 'too-large') {
    // Answered here so an oversized body is never buffered whole; same shape as the handler's.
    const local = errorResponse(
      413,
      'payload_too_large',
      `The request body exceeds ${deps.maxBodyBytes} bytes`,
      requestIdHex(),
    );
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
  const slot: OutcomeSlot = { outcome: undefined };
  let local: LocalResponse;
  let reason: string | null = null;
  let stack: string | undefined;
  try {
    const context = createLocalContext({ requestId: awsRequestId });
    const result = await (outcomes === undefined
      ? deps.handler(event, context)
      : outcomes.run(slot, () => deps.handler(event, context)));
    local = fromFunctionUrlResult(result);
  } catch (error) {
    // The Lambda runtime would answer 502 to a crashed invocation; locally we show why.
    local = errorResponse(
      500,
      'internal_error',
      'The collector failed to handle the request',
      requestIdHex(),
    );
    reason = `handler threw: ${error instanceof Error ? error.message : String(error)}`;
    stack = error instanceof Error ? error.stack : undefined;
  }
  writeResponse(response, local, false);
  line(local, slot.outcome, reason);
  if (stack !== undefined) deps.say(stack);
}

async function defaultHandlerFactory(): Promise<HandlerFactory> {
  // Imported only now, after the process environment is prepared: modules that read it when loaded
  // (Powertools, SDK defaults) then see the local settings.
  const app = await import('../lambda/app');
  return app.buildHandler;
}

export async function startLocalCollector(options: LocalCollectorOptions = {}): Promise<LocalCollector> {
  const env = options.env ?? processEnvironment();
  const settings = parseLocalSettings(env);
  const log = options.log ?? ((line: string) => console.log(line));
  const say = options.quiet === true ? () => undefined : log;
  const host = options.host ?? LOCAL_HOST;
  const port = options.port ?? settings.port;
  const freePorts = port === 0;
  const embedKinesis = options.embedEmulators ?? settings.kinesisEndpoint === undefined;
  const embedS3 = options.embedEmulators ?? settings.s3Endpoint === undefined;
  const externalKinesis = embedKinesis ? undefined : settings.kinesisEndpoint;
  const externalS3 = embedS3 ? undefined : settings.s3Endpoint;

  // Fail on a bad configuration before anything starts (placeholders stand in for emulator URLs).
  const placeholder = `http://${LOCAL_HOST}:1`;
  const preliminary = parseConfig(
    buildCollectorEnv(env, {
      kinesis: embedKinesis ? placeholder : externalKinesis,
      s3: embedS3 ? placeholder : externalS3,
    }),
  );

  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) =>
        log(`local collector: error while stopping: ${String(error)}`),
      );
    }
  };

  try {
    let kinesis: KinesisEmulator | undefined;
    let s3: S3Emulator | undefined;
    if (embedKinesis) {
      kinesis = await startKinesisEmulator({
        host,
        port: options.kinesisPort ?? (freePorts ? 0 : settings.kinesisPort),
        streamName: preliminary.streamName,
      });
      cleanups.push(kinesis.stop);
    }
    if (embedS3) {
      const dataDir = options.dataDir ?? settings.dataDir ?? (freePorts ? undefined : DEFAULT_DATA_DIR);
      s3 = await startS3Emulator({
        host,
        port: options.s3Port ?? (freePorts ? 0 : settings.s3Port),
        ...(dataDir === undefined ? {} : { directory: join(dataDir, 's3') }),
        bucket: preliminary.bucket,
      });
      cleanups.push(s3.stop);
    }

    const config = parseConfig(
      buildCollectorEnv(env, {
        kinesis: kinesis?.endpoint ?? externalKinesis,
        s3: s3?.endpoint ?? externalS3,
      }),
    );
    const plan = planProcessEnv(processEnvironment(), { kinesis: embedKinesis, s3: embedS3 });
    applyProcessEnv(plan);

    // Quiet: no request lines, so no outcome to carry to them either.
    const outcomes = options.quiet === true ? undefined : new AsyncLocalStorage<OutcomeSlot>();
    const onOutcome = (outcome: RequestOutcome): void => {
      const slot = outcomes?.getStore();
      if (slot === undefined) {
        // Reported outside a request's async context: still worth a line of its own.
        say(
          formatRequestLine({
            time: new Date(),
            method: '-',
            path: '-',
            statusCode: outcome.statusCode,
            durationMs: 0,
            outcome,
          }),
        );
        return;
      }
      slot.outcome = outcome;
    };
    const factory = options.buildHandler ?? (await defaultHandlerFactory());
    const handler = factory(config, outcomes === undefined ? {} : { onOutcome });

    const handle = (request: IncomingMessage, response: ServerResponse) =>
      serveRequest({ handler, maxBodyBytes: config.maxBodyBytes, outcomes, say }, request, response);

    let closing = false;
    const server = createServer((request, response) => {
      // While stopping, no connection is kept for another request.
      if (closing) response.setHeader('connection', 'close');
      handle(request, response).catch((error: unknown) => {
        // Mostly clients that went away mid-request; nothing can be answered to them.
        say(`local collector: request failed: ${String(error)}`);
        if (!response.headersSent) {
          writeResponse(
            response,
            errorResponse(500, 'internal_error', 'Internal error', requestIdHex()),
            true,
          );
        } else {
          response.destroy();
        }
      });
    });
    // Keep-alive like a real endpoint; longer than typical client idle timeouts to avoid races.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    let address: AddressInfo;
    try {
      address = await listen(server, port, host);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
        throw new Error(`local collector: port ${port} is already in use (set PORT to choose another)`, {
          cause: error,
        });
      }
      throw error;
    }
    const stopServer = async (): Promise<void> => {
      closing = true;
      await closeServer(server);
    };
    cleanups.push(stopServer);

    const kinesisEndpoint = kinesis?.endpoint ?? externalKinesis;
    const s3Endpoint = s3?.endpoint ?? externalS3;
    const archiving = options.archiver ?? settings.archiver ?? embedS3;
    let drainArchive = async (): Promise<number> => 0;
    if (archiving) {
      const kinesisClient = createKinesisClient({
        endpoint: kinesisEndpoint,
        region: config.region,
        emulator: embedKinesis,
      });
      const s3Client = createS3Client({ endpoint: s3Endpoint, region: config.region, emulator: embedS3 });
      const archiver: Archiver = await startArchiver({
        kinesis: kinesisClient,
        s3: s3Client,
        streamName: config.streamName,
        bucket: config.bucket,
        prefix: settings.archivePrefix,
        tablesPrefix: settings.tablesPrefix,
        startingPosition: embedKinesis ? 'TRIM_HORIZON' : 'LATEST',
        onArchived: ({ key, kind, lines }) =>
          say(
            kind === 'archive'
              ? `         archived ${lines} record${lines === 1 ? '' : 's'} → s3://${config.bucket}/${key}`
              : `         ${kind}: ${lines} row${lines === 1 ? '' : 's'} → s3://${config.bucket}/${key}`,
          ),
        onError: (error) => log(`local archiver: ${error instanceof Error ? error.message : String(error)}`),
      });
      drainArchive = () => archiver.drain();
      // Stops after the server (cleanups run last-in first-out), so its final drain archives what
      // the last requests put on the stream.
      cleanups.splice(cleanups.indexOf(stopServer), 0, async () => {
        await archiver.stop();
        kinesisClient.destroy();
        s3Client.destroy();
      });
    }

    const hostPart = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${hostPart}:${address.port}`,
      kinesisEndpoint: kinesisEndpoint ?? AWS_DEFAULT_ENDPOINT,
      s3Endpoint: s3Endpoint ?? AWS_DEFAULT_ENDPOINT,
      streamName: config.streamName,
      bucket: config.bucket,
      config,
      embedded: { kinesis: embedKinesis, s3: embedS3 },
      s3Directory: s3?.directory,
      archivePrefix: archiving ? settings.archivePrefix : undefined,
      tablesPrefix: archiving ? settings.tablesPrefix : undefined,
      drainArchive: () => drainArchive(),
      warnings: plan.warnings,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
