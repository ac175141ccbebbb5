import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * What reached the collector from the browser, observed on the wire: a recording proxy on loopback
 * in front of the local collector. The page's SDK is given the proxy's URL as its endpoint; every
 * request (CORS preflights included) passes through unchanged and is logged with its exact body
 * bytes, headers and the collector's answer.
 *
 * Why not the browsers' own network events: each driver reports different things (Playwright
 * hides preflights, WebDriver BiDi omits request bodies, WebDriver classic reports nothing), while
 * the wire is the same for every browser, and it is what the collector actually received.
 */

export interface SentEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly [field: string]: unknown;
}

interface Exchange {
  readonly url: URL;
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** Set when the collector answered (before the answer is passed on to the browser). */
  status: number | undefined;
  responseHeaders: Readonly<Record<string, string>> | undefined;
}

export interface CollectorPost extends Exchange {
  readonly body: Buffer;
  /** The body's JSON array; empty when the body is not one (the SDK always sends an array). */
  readonly events: readonly SentEvent[];
}

/** An OPTIONS request carrying `Access-Control-Request-Method`: the browser asking first. */
interface Preflight extends Exchange {
  /** The `Access-Control-Request-Headers` list, lower-cased and trimmed. */
  readonly requestedHeaders: readonly string[];
}

/** The traffic of one app ID (each test uses its own, so this is exactly one page's traffic). */
export interface CollectorTraffic {
  readonly posts: readonly CollectorPost[];
  readonly preflights: readonly Preflight[];
  /** POSTs the collector answered 200. */
  readonly acknowledged: readonly CollectorPost[];
  readonly sentEvents: readonly SentEvent[];
  /** True while a request of this app ID waits for the collector's answer. */
  readonly inFlight: boolean;
}

export interface CollectorTap {
  /** The collect URL to give the SDK: the proxy's origin plus the collector's path. */
  readonly endpoint: string;
  traffic(appId: string): CollectorTraffic;
  stop(): Promise<void>;
}

/** Connection-level headers: they describe one hop, so a proxy never forwards them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function singleValued(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function withoutHopByHop(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function isSentEvent(value: unknown): value is SentEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    'event_id' in value &&
    typeof value.event_id === 'string' &&
    'event_type' in value &&
    typeof value.event_type === 'string'
  );
}

function eventsOf(body: Buffer): SentEvent[] {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return Array.isArray(parsed) ? parsed.filter(isSentEvent) : [];
  } catch {
    return [];
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Starts the recording proxy for the collector at `collectorUrl`, forwarding to `collectPath`. */
export async function startCollectorTap(collectorUrl: string, collectPath: string): Promise<CollectorTap> {
  const target = new URL(collectorUrl);
  const agent = new Agent({ keepAlive: true });
  const exchanges: (CollectorPost | Preflight | Exchange)[] = [];

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readAll(incoming);
      const requestHeaders = singleValued(incoming.headers);
      const url = new URL(incoming.url ?? '/', `http://${requestHeaders.host ?? '127.0.0.1'}`);
      const base = { url, requestHeaders, status: undefined, responseHeaders: undefined };
      let exchange: Exchange;
      if (incoming.method === 'POST') {
        const post: CollectorPost = { ...base, body, events: eventsOf(body) };
        exchange = post;
      } else if (
        incoming.method === 'OPTIONS' &&
        requestHeaders['access-control-request-method'] !== undefined
      ) {
        const requestedHeaders = (requestHeaders['access-control-request-headers'] ?? '')
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name !== '');
        const preflight: Preflight = { ...base, requestedHeaders };
        exchange = preflight;
      } else {
        exchange = base;
      }
      exchanges.push(exchange);

      const answer = await new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
        (resolve, reject) => {
          const forwarded = httpRequest(
            {
              agent,
              host: target.hostname,
              port: target.port,
              method: incoming.method,
              path: incoming.url,
              headers: { ...withoutHopByHop(requestHeaders), 'content-length': String(body.length) },
            },
            (response) => {
              readAll(response).then(
                (responseBody) =>
                  resolve({
                    status: response.statusCode ?? 502,
                    headers: singleValued(response.headers),
                    body: responseBody,
                  }),
                reject,
              );
            },
          );
          forwarded.once('error', reject);
          forwarded.end(body);
        },
      );
      exchange.status = answer.status;
      exchange.responseHeaders = answer.headers;
      outgoing
        .writeHead(answer.status, {
          ...withoutHopByHop(answer.headers),
          'content-length': String(answer.body.length),
        })
        .end(answer.body);
    })().catch((error: unknown) => {
      // The browser sees a dropped connection, as from a collector that is down; the test then fails
      // on what did not arrive, and this names why.
      console.error('collector tap: forwarding failed:', error);
      outgoing.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('collector tap: no TCP address');
  const { port } = address;

  const traffic = (appId: string): CollectorTraffic => {
    const ofApp = exchanges.filter((exchange) => exchange.url.searchParams.get('appId') === appId);
    const posts = ofApp.filter((exchange): exchange is CollectorPost => 'body' in exchange);
    return {
      posts,
      preflights: ofApp.filter((exchange): exchange is Preflight => 'requestedHeaders' in exchange),
      acknowledged: posts.filter((post) => post.status === 200),
      sentEvents: posts.flatMap((post) => post.events),
      inFlight: ofApp.some((exchange) => exchange.status === undefined),
    };
  };

  return {
    endpoint: `http://127.0.0.1:${port}${collectPath}`,
    traffic,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
