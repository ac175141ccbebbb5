import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HandlerOptions } from '../../lambda/app';
import type { CollectorConfig } from '../../lambda/config';
import { MemoryObjectStore, MemoryStream } from '../../lambda/sinks/memory-sinks';
import { startLocalCollector } from '../../local/collector';
import { createLocalContext, toFunctionUrlEvent } from '../../local/function-url-event';

/**
 * One load target of part 2, run in its own process (spawned by http-load.ts) so the load
 * generator and the server do not share a core and the server's peak RSS is its own:
 * - `bare`: a plain Node HTTP server that reads the body and answers 200 (the ceiling);
 * - `bare-handler`: the same server, but it builds the function URL event (local/'s
 *   `toFunctionUrlEvent`) and awaits the real handler with memory sinks before answering: the local
 *   collector without its own plumbing (body cap, async context, response mapping), to tell the
 *   handler's cost under HTTP load from the local server's;
 * - `memory`: the local collector (local/server.ts) with the handler's sinks in memory, through
 *   the server's own `buildHandler` injection point;
 * - `kinesis`: the local collector with its embedded Kinesis and S3 emulators (archiver off, so
 *   only the request path is measured).
 * Talks to its parent over IPC: sends `{ url }` when listening, answers `'memory'` with its peak RSS.
 */

export type TargetKind = 'bare' | 'bare-handler' | 'memory' | 'kinesis';

export interface TargetReady {
  readonly type: 'ready';
  readonly url: string;
}

export interface TargetMemory {
  readonly type: 'memory';
  /** Peak resident set size of the process so far, bytes. */
  readonly maxRssBytes: number;
  readonly rssBytes: number;
}

export interface TargetCpu {
  readonly type: 'cpu';
  /** CPU time (user + system) of the process so far, µs. */
  readonly cpuUs: number;
}

export type TargetMessage = TargetReady | TargetMemory | TargetCpu;

const LOCAL_ENV = {
  CLICKSTREAM_APP_IDS: 'test_app',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
} as const;

async function startBare(): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      Buffer.concat(chunks);
      response.writeHead(200, { 'content-length': '0' });
      response.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

async function listenOnLoopback(server: ReturnType<typeof createServer>): Promise<string> {
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

async function startBareHandler(): Promise<string> {
  process.env.POWERTOOLS_METRICS_DISABLED = LOCAL_ENV.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_LOG_LEVEL = LOCAL_ENV.POWERTOOLS_LOG_LEVEL;
  const { buildHandler } = await import('../../lambda/app');
  const { parseConfig } = await import('../../lambda/config');
  const stream = new MemoryStream();
  setInterval(() => stream.records.splice(0), 250).unref();
  const config = parseConfig({
    ...LOCAL_ENV,
    CLICKSTREAM_STREAM_NAME: 'clickstream-bench',
    CLICKSTREAM_ARCHIVE_BUCKET: 'clickstream-bench',
  });
  const handler = buildHandler(config, { stream, objects: new MemoryObjectStore() });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const now = new Date();
      const event = toFunctionUrlEvent(
        {
          method: request.method,
          url: request.url,
          rawHeaders: request.rawHeaders,
          httpVersion: request.httpVersion,
          remoteAddress: request.socket.remoteAddress,
        },
        Buffer.concat(chunks),
        { now, requestId: 'bench' },
      );
      handler(event, createLocalContext({ requestId: 'bench' })).then(
        (result) => {
          const status = (result as { statusCode?: number }).statusCode ?? 500;
          response.writeHead(status, { 'content-length': '0' });
          response.end();
        },
        () => {
          response.writeHead(500, { 'content-length': '0' });
          response.end();
        },
      );
    });
  });
  return listenOnLoopback(server);
}

async function startMemory(): Promise<string> {
  const { buildHandler } = await import('../../lambda/app');
  const stream = new MemoryStream();
  // The memory stream keeps every record; a long run would only measure its growth.
  setInterval(() => stream.records.splice(0), 250).unref();
  const collector = await startLocalCollector({
    env: LOCAL_ENV,
    port: 0,
    embedEmulators: false,
    archiver: false,
    quiet: true,
    buildHandler: (config: CollectorConfig, options: HandlerOptions) =>
      buildHandler(config, { ...options, stream, objects: new MemoryObjectStore() }),
  });
  return collector.url;
}

async function startKinesis(): Promise<string> {
  const collector = await startLocalCollector({
    env: LOCAL_ENV,
    port: 0,
    embedEmulators: true,
    archiver: false,
    quiet: true,
  });
  return collector.url;
}

function send(message: TargetMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const kind = process.argv[2] as TargetKind | undefined;
  const start = {
    bare: startBare,
    'bare-handler': startBareHandler,
    memory: startMemory,
    kinesis: startKinesis,
  };
  if (kind === undefined || !(kind in start))
    throw new Error('usage: http-target.ts bare|bare-handler|memory|kinesis');
  const url = await start[kind]();
  process.on('message', (message: unknown) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', cpuUs: usage.user + usage.system });
    }
    if (message === 'memory') {
      send({
        type: 'memory',
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        rssBytes: process.memoryUsage.rss(),
      });
    }
  });
  // The parent going away (even killed) closes the channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `http-target: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
