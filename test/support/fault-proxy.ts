import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP proxy to put in front of the Kinesis or S3 emulator, to inject the faults the
 * collector must survive. Point the collector's `AWS_ENDPOINT_URL_*` at `endpoint` and switch
 * modes while requests flow:
 *
 * - `pass`: forward everything unchanged.
 * - `throttle`: in each Kinesis `PutRecords` call, refuse a share of the records the way Kinesis
 *   does under load: HTTP 200 with `ProvisionedThroughputExceededException` on those entries. Only
 *   the records let through reach the emulator, and the answer merges the emulator's results with
 *   the refusals in request order, with the right `FailedRecordCount`. Other calls pass.
 * - `status`: answer every call (or those `only` selects) with that HTTP status (500/503) and an
 *   AWS-style error body.
 * - `stall`: never answer (until the client gives up or the proxy stops): a hung service.
 * - `drop`: destroy the connection as soon as the request arrives.
 *
 * Every call is logged in `calls` (with the partition keys of `PutRecords` calls), so tests can
 * prove what the client sent, e.g. that a retry carries exactly the refused records.
 */

export type FaultMode =
  | { readonly kind: 'pass' }
  | {
      readonly kind: 'throttle';
      /** Probability (0–1) that a record is refused. */
      readonly share: number;
      /** Source of randomness; inject a seeded one for reproducible runs. @default Math.random */
      readonly random?: () => number;
    }
  | {
      readonly kind: 'status';
      readonly status: number;
      /** Only calls whose operation (e.g. `PUT /bucket/key`) matches fail; others pass. @default all */
      readonly only?: (operation: string) => boolean;
    }
  | { readonly kind: 'stall' }
  | { readonly kind: 'drop' };

interface ProxyCall {
  /** `Kinesis_20131202.PutRecords` style target for Kinesis, `PUT /bucket/key` for S3. */
  readonly operation: string;
  readonly mode: FaultMode['kind'];
  /** Status answered, or what happened instead. */
  readonly result: number | 'stalled' | 'dropped' | 'upstream-error';
  /** PutRecords only: the partition keys of the records the client sent, in order. */
  readonly partitionKeys: readonly string[];
  /** PutRecords in `throttle` mode only: the partition keys of the records refused. */
  readonly refusedKeys: readonly string[];
  readonly at: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  setMode(mode: FaultMode): void;
  /** Every call received so far, in arrival order (a live array; copy it to keep a snapshot). */
  readonly calls: ProxyCall[];
  /** Forgets the logged calls. */
  clearCalls(): void;
  stop(): Promise<void>;
}

interface PutRecordsEntry {
  readonly Data: string;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}

interface PutRecordsBody {
  readonly StreamName?: string;
  readonly StreamARN?: string;
  readonly Records: readonly PutRecordsEntry[];
}

type ResultEntry = Record<string, unknown>;

interface Upstream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const PUT_RECORDS_TARGET = 'Kinesis_20131202.PutRecords';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Headers that describe the body we received, not the one we forward or answer. */
const BODY_HEADERS = ['content-length', 'transfer-encoding', 'content-md5'];

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function withoutBodyHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy: IncomingHttpHeaders = { ...headers };
  for (const name of BODY_HEADERS) delete copy[name];
  return copy;
}

function isPutRecordsBody(value: unknown): value is PutRecordsBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { Records?: unknown }).Records) &&
    (value as { Records: unknown[] }).Records.every(
      (entry) => typeof entry === 'object' && entry !== null && 'PartitionKey' in entry,
    )
  );
}

function errorBody(kinesis: boolean, status: number): { contentType: string; body: string } {
  const code = status === 503 ? 'ServiceUnavailable' : 'InternalFailure';
  if (kinesis) {
    return {
      contentType: JSON_CONTENT_TYPE,
      body: JSON.stringify({ __type: code, message: `fault proxy: injected ${status}` }),
    };
  }
  return {
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code === 'InternalFailure' ? 'InternalError' : 'ServiceUnavailable'}</Code><Message>fault proxy: injected ${status}</Message><RequestId>fault-proxy</RequestId></Error>`,
  };
}

export async function startFaultProxy(options: {
  /** The emulator to protect, e.g. `http://127.0.0.1:4567`. */
  readonly target: string;
  readonly mode?: FaultMode;
}): Promise<FaultProxy> {
  const target = new URL(options.target);
  const upstreamAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const calls: ProxyCall[] = [];
  const sockets = new Set<Socket>();
  let mode: FaultMode = options.mode ?? { kind: 'pass' };

  function forward(request: IncomingMessage, body: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          agent: upstreamAgent,
          // The Host header stays as the client signed it: s3rver checks SigV4 signatures over it.
          headers: { ...withoutBodyHeaders(request.headers), 'content-length': String(body.length) },
        },
        (response) => {
          readAll(response).then(
            (responseBody) =>
              resolve({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }),
            reject,
          );
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  function answer(
    response: ServerResponse,
    status: number,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): void {
    response.writeHead(status, { ...withoutBodyHeaders(headers), 'content-length': String(body.length) });
    response.end(body);
  }

  async function throttled(
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
    share: number,
    random: () => number,
  ): Promise<Omit<ProxyCall, 'operation' | 'mode' | 'at'>> {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!isPutRecordsBody(parsed)) throw new Error('fault proxy: PutRecords body without Records');
    const refused = parsed.Records.map(() => random() < share);
    const kept = parsed.Records.filter((_, index) => !refused[index]);
    const partitionKeys = parsed.Records.map((entry) => entry.PartitionKey);
    const refusedKeys = partitionKeys.filter((_, index) => refused[index]);

    let upstream: Upstream | undefined;
    let keptResults: ResultEntry[] = [];
    if (kept.length > 0) {
      upstream = await forward(request, Buffer.from(JSON.stringify({ ...parsed, Records: kept })));
      if (upstream.status !== 200) {
        // The emulator refused the whole call (e.g. no such stream): pass that answer on as is.
        answer(response, upstream.status, upstream.headers, upstream.body);
        return { result: upstream.status, partitionKeys, refusedKeys: [] };
      }
      keptResults = (JSON.parse(upstream.body.toString('utf8')) as { Records: ResultEntry[] }).Records;
    }
    let next = 0;
    const merged = refused.map((isRefused) =>
      isRefused
        ? {
            ErrorCode: 'ProvisionedThroughputExceededException',
            ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream (fault proxy).',
          }
        : (keptResults[next++] ?? {
            ErrorCode: 'InternalFailure',
            ErrorMessage: 'fault proxy: missing result',
          }),
    );
    const failedCount = merged.filter((entry) => entry.ErrorCode !== undefined).length;
    answer(
      response,
      200,
      upstream?.headers ?? { 'content-type': JSON_CONTENT_TYPE },
      Buffer.from(JSON.stringify({ FailedRecordCount: failedCount, Records: merged })),
    );
    return { result: 200, partitionKeys, refusedKeys };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const current = mode;
    const at = Date.now();
    const amzTarget = request.headers['x-amz-target'];
    const kinesis = typeof amzTarget === 'string';
    const operation = kinesis ? amzTarget : `${request.method ?? 'GET'} ${request.url ?? '/'}`;
    const log = (entry: Omit<ProxyCall, 'operation' | 'mode' | 'at'>): void => {
      calls.push({ operation, mode: current.kind, at, ...entry });
    };

    if (current.kind === 'drop') {
      log({ result: 'dropped', partitionKeys: [], refusedKeys: [] });
      request.socket.destroy();
      return;
    }
    const body = await readAll(request);
    const isPutRecords = amzTarget === PUT_RECORDS_TARGET;
    const partitionKeys = (): string[] => {
      if (!isPutRecords) return [];
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      return isPutRecordsBody(parsed) ? parsed.Records.map((entry) => entry.PartitionKey) : [];
    };

    switch (current.kind) {
      case 'stall':
        // Nothing is ever written: the client's own timeout (or `stop()`) ends the connection.
        log({ result: 'stalled', partitionKeys: partitionKeys(), refusedKeys: [] });
        return;
      case 'status': {
        if (current.only !== undefined && !current.only(operation)) break;
        const { contentType, body: text } = errorBody(kinesis, current.status);
        answer(response, current.status, { 'content-type': contentType }, Buffer.from(text));
        log({ result: current.status, partitionKeys: partitionKeys(), refusedKeys: [] });
        return;
      }
      case 'throttle':
        if (isPutRecords) {
          log(await throttled(request, response, body, current.share, current.random ?? Math.random));
          return;
        }
        break;
      case 'pass':
        break;
    }
    const upstream = await forward(request, body);
    answer(response, upstream.status, upstream.headers, upstream.body);
    log({ result: upstream.status, partitionKeys: partitionKeys(), refusedKeys: [] });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      calls.push({
        operation: String(request.headers['x-amz-target'] ?? `${request.method} ${request.url}`),
        mode: mode.kind,
        result: 'upstream-error',
        partitionKeys: [],
        refusedKeys: [],
        at: Date.now(),
      });
      // The emulator went away (or answered garbage): to the client that is a dropped connection.
      response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setMode(next) {
      mode = next;
    },
    calls,
    clearCalls() {
      calls.length = 0;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stalled requests and keep-alive sockets would hold `close` open indefinitely.
        for (const socket of sockets) socket.destroy();
      });
      upstreamAgent.destroy();
    },
  };
}

/** A small seeded generator (mulberry32), so a throttling pattern can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
