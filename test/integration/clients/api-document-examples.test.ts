import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { DOC_EXAMPLE_BODY, DOC_EXAMPLE_QUERY } from '../../support/events';
import { sendRaw, type WireResponse } from '../../support/mobile-wire-client';
import {
  decodeRecordEvents,
  ingestionSchemaProblems,
  recordContractProblems,
  type SinkRecord,
} from '../../support/record-schema';
import { readStream } from '../../support/stream-reader';

/**
 * Every code example of the Clickstream HTTP API document (cURL, C# HttpClient, Java OkHttp,
 * JavaScript fetch, Python requests), sent to the local collector as the HTTP request that example
 * puts on the wire: same method, path and query, header names and values (the example's own plus
 * the ones its HTTP stack adds), and body bytes. Each must be answered 200 and stored as the
 * record the document's data processing expects.
 */

const PATH_AND_QUERY = `/collect?${DOC_EXAMPLE_QUERY}`;
const CONTENT_TYPE = 'application/json; charset=utf-8';
const FORWARDED_FOR = '101.188.67.134';
const BODY_LENGTH = String(Buffer.byteLength(DOC_EXAMPLE_BODY));

type HeaderList = ReadonlyArray<readonly [string, string]>;

const CURL_USER_AGENT = 'curl/8.5.0';
const OKHTTP_USER_AGENT = 'okhttp/4.12.0';
const REQUESTS_USER_AGENT = 'python-requests/2.32.3';

/**
 * The headers each example's HTTP stack writes, in order (`host` is the collector's host:port).
 * Version strings are representative; the real-tool tests below check names and order against
 * curl and requests when they are installed.
 */
const REPRODUCED_HEADERS = {
  // curl --data alone would send `application/x-www-form-urlencoded`; the example's --header
  // replaces that value. curl writes Host, User-Agent, Accept, then the -H headers, then the
  // length of the --data bytes (which it sends unchanged: the body has no newlines to strip).
  // --location only matters for a redirect, which the collector never answers.
  curl: (host: string): HeaderList => [
    ['Host', host],
    ['User-Agent', CURL_USER_AGENT],
    ['Accept', '*/*'],
    ['Content-Type', CONTENT_TYPE],
    ['X-Forwarded-For', FORWARDED_FOR],
    ['Content-Length', BODY_LENGTH],
  ],
  // HttpClient sends no User-Agent or Accept unless told to; the request header comes first,
  // then the content headers (type with the UTF-8 charset, and the length).
  csharp: (host: string): HeaderList => [
    ['Host', host],
    ['X-Forwarded-For', FORWARDED_FOR],
    ['Content-Type', CONTENT_TYPE],
    ['Content-Length', BODY_LENGTH],
  ],
  // OkHttp's bridge sets Content-Type from the body's media type (replacing the one the example
  // adds, so it is sent once, at its new place), then Content-Length, Host, Connection,
  // Accept-Encoding and its own User-Agent.
  okhttp: (host: string): HeaderList => [
    ['X-Forwarded-For', FORWARDED_FOR],
    ['Content-Type', CONTENT_TYPE],
    ['Content-Length', BODY_LENGTH],
    ['Host', host],
    ['Connection', 'Keep-Alive'],
    ['Accept-Encoding', 'gzip'],
    ['User-Agent', OKHTTP_USER_AGENT],
  ],
  // requests merges its session defaults (User-Agent, Accept-Encoding, Accept, Connection) with
  // the example's headers; http.client puts Host first and the length last. A str payload is
  // sent as ISO-8859-1 bytes, identical to UTF-8 for this all-ASCII body.
  python: (host: string): HeaderList => [
    ['Host', host],
    ['User-Agent', REQUESTS_USER_AGENT],
    ['Accept-Encoding', 'gzip, deflate'],
    ['Accept', '*/*'],
    ['Connection', 'keep-alive'],
    ['Content-Type', CONTENT_TYPE],
    ['X-Forwarded-For', FORWARDED_FOR],
    ['Content-Length', BODY_LENGTH],
  ],
} as const;

const run = promisify(execFile);

async function installed(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await run(command, [...args], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const HAS_CURL = await installed('curl', ['--version']);
const HAS_PYTHON_REQUESTS = await installed('python3', ['-c', 'import requests']);

/** The doc's cURL command, with only the URL changed. */
function runCurl(url: string): Promise<{ stdout: string }> {
  return run(
    'curl',
    [
      '--silent',
      '--max-time',
      '10',
      '--location',
      url,
      '--header',
      `Content-Type: ${CONTENT_TYPE}`,
      '--header',
      `X-Forwarded-For: ${FORWARDED_FOR}`,
      '--data',
      DOC_EXAMPLE_BODY,
      '--write-out',
      '%{http_code}',
    ],
    { timeout: 15_000 },
  );
}

/** The doc's Python example, with only the URL changed (and a timeout, so it cannot hang). */
function runPythonRequests(url: string): Promise<{ stdout: string }> {
  const script = [
    'import sys, requests',
    'url = sys.argv[1]',
    'payload = sys.argv[2]',
    `headers = {'Content-Type': '${CONTENT_TYPE}', 'X-Forwarded-For': '${FORWARDED_FOR}'}`,
    'response = requests.request("POST", url, headers=headers, data=payload, timeout=10)',
    'print(response.status_code)',
  ].join('\n');
  return run('python3', ['-c', script, url, DOC_EXAMPLE_BODY], { timeout: 20_000 });
}

interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headerNames: readonly string[];
  readonly body: string;
}

/** Answers 200 to one request and reports what arrived, byte for byte. */
async function captureOne(send: (url: string) => Promise<unknown>): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      captured = {
        method: request.method ?? '',
        url: request.url ?? '',
        headerNames: request.rawHeaders
          .filter((_, index) => index % 2 === 0)
          .map((name) => name.toLowerCase()),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      response.writeHead(200, { 'content-length': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await send(`http://127.0.0.1:${port}${PATH_AND_QUERY}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (captured === undefined) throw new Error('the client sent nothing');
  return captured;
}

function namesOf(headers: HeaderList): string[] {
  return headers.map(([name]) => name.toLowerCase());
}

describe('API document code examples against the local collector', () => {
  let collector: LocalCollector;
  let host: string;

  beforeAll(async () => {
    // The document's appId (test_release) is one of the local collector's default app IDs.
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, archiver: false });
    host = new URL(collector.url).host;
  });

  afterAll(async () => {
    await collector?.stop();
  });

  async function send(headers: HeaderList): Promise<WireResponse> {
    return sendRaw(collector.url, {
      method: 'POST',
      pathAndQuery: PATH_AND_QUERY,
      headers,
      body: DOC_EXAMPLE_BODY,
    });
  }

  async function recordOf(response: WireResponse): Promise<SinkRecord> {
    const rid = response.headers['x-request-id'];
    const records = (await readStream(collector.kinesisEndpoint, collector.streamName)).filter(
      (record) => record.rid === rid,
    );
    expect(records).toHaveLength(1);
    return records[0] as SinkRecord;
  }

  /** What every example must produce: the document's body, untouched, with the request's metadata. */
  async function expectStoredAsSent(response: WireResponse, userAgent: string | null): Promise<void> {
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const record = await recordOf(response);
    expect(record).toMatchObject({
      appId: 'test_release',
      compression: null,
      data: DOC_EXAMPLE_BODY,
      client_timestamp: null,
      ip: FORWARDED_FOR,
      ua: userAgent,
      method: 'POST',
      path: '/collect',
      uri: PATH_AND_QUERY,
      platform: 'Android',
      source_type: 'http_server',
    });
    expect(decodeRecordEvents(record)).toEqual(JSON.parse(DOC_EXAMPLE_BODY));
    expect(recordContractProblems(record)).toEqual([]);
    expect(ingestionSchemaProblems(record)).toEqual([]);
  }

  it('accepts the cURL example (curl --data with the Content-Type override) and stores its body as sent', async () => {
    const response = await send(REPRODUCED_HEADERS.curl(host));
    await expectStoredAsSent(response, CURL_USER_AGENT);
  });

  it('accepts the C# HttpClient example (StringContent as UTF-8 JSON, no User-Agent) and stores its body as sent', async () => {
    const response = await send(REPRODUCED_HEADERS.csharp(host));
    await expectStoredAsSent(response, null);
  });

  it('accepts the Java OkHttp example (body media type wins over the added header) and stores its body as sent', async () => {
    const response = await send(REPRODUCED_HEADERS.okhttp(host));
    await expectStoredAsSent(response, OKHTTP_USER_AGENT);
  });

  it('accepts the JavaScript fetch example, run as written with Node fetch, and stores its body as sent', async () => {
    // The example's own code (Headers, raw string body, redirect: 'follow'); Node's fetch adds
    // its usual headers, among them `User-Agent: node`.
    const myHeaders = new Headers();
    myHeaders.append('Content-Type', CONTENT_TYPE);
    myHeaders.append('X-Forwarded-For', FORWARDED_FOR);
    const raw = DOC_EXAMPLE_BODY;
    const fetched = await fetch(`${collector.url}${PATH_AND_QUERY}`, {
      method: 'POST',
      headers: myHeaders,
      body: raw,
      redirect: 'follow',
      signal: AbortSignal.timeout(10_000),
    });
    const response: WireResponse = {
      status: fetched.status,
      headers: { 'x-request-id': fetched.headers.get('x-request-id') ?? undefined },
      body: await fetched.text(),
    };
    await expectStoredAsSent(response, 'node');
  });

  it('accepts the Python requests example (str payload, requests default headers) and stores its body as sent', async () => {
    const response = await send(REPRODUCED_HEADERS.python(host));
    await expectStoredAsSent(response, REQUESTS_USER_AGENT);
  });

  it.runIf(HAS_CURL)(
    'reproduces what the real curl sends for the cURL example (method, path, header order, body)',
    async () => {
      const captured = await captureOne(runCurl);
      expect(captured).toEqual({
        method: 'POST',
        url: PATH_AND_QUERY,
        headerNames: namesOf(REPRODUCED_HEADERS.curl(host)),
        body: DOC_EXAMPLE_BODY,
      });
    },
  );

  it.runIf(HAS_CURL)(
    'accepts the cURL example run with the real curl and stores its body as sent',
    async () => {
      const { stdout } = await runCurl(`${collector.url}${PATH_AND_QUERY}`);
      expect(stdout).toBe('200');
      const records = (await readStream(collector.kinesisEndpoint, collector.streamName)).filter(
        (record) =>
          typeof record.ua === 'string' && record.ua.startsWith('curl/') && record.ua !== CURL_USER_AGENT,
      );
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ data: DOC_EXAMPLE_BODY, ip: FORWARDED_FOR, uri: PATH_AND_QUERY });
    },
  );

  it.runIf(HAS_PYTHON_REQUESTS)(
    'reproduces what the real requests library sends for the Python example',
    async () => {
      const captured = await captureOne(runPythonRequests);
      // requests adds `br`/`zstd` to Accept-Encoding when those modules are installed: names only.
      expect(captured).toEqual({
        method: 'POST',
        url: PATH_AND_QUERY,
        headerNames: namesOf(REPRODUCED_HEADERS.python(host)),
        body: DOC_EXAMPLE_BODY,
      });
    },
  );

  it.runIf(HAS_PYTHON_REQUESTS)(
    'accepts the Python example run with the real requests library and stores its body as sent',
    async () => {
      const { stdout } = await runPythonRequests(`${collector.url}${PATH_AND_QUERY}`);
      expect(stdout.trim()).toBe('200');
      const records = (await readStream(collector.kinesisEndpoint, collector.streamName)).filter(
        (record) =>
          typeof record.ua === 'string' &&
          record.ua.startsWith('python-requests/') &&
          record.ua !== REQUESTS_USER_AGENT,
      );
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ data: DOC_EXAMPLE_BODY, ip: FORWARDED_FOR, uri: PATH_AND_QUERY });
    },
  );
});
