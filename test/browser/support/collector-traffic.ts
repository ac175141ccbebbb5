import type { CDPSession, Page, Request } from 'playwright-core';

/**
 * What the page sent to the collector, observed from the browser side:
 * - POSTs through Playwright's request/response events: URL, exact body bytes, the events parsed
 *   from the body, and the answer (status, headers — `x-request-id` names the stream record).
 * - CORS preflights through the DevTools protocol: Playwright does not report them, Chromium's
 *   network domain does (initiator type `preflight`), with the answer's status and headers.
 */

export interface SentEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly [field: string]: unknown;
}

export interface CollectorPost {
  readonly url: URL;
  readonly body: Buffer;
  readonly events: readonly SentEvent[];
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** Set when the page got an answer. */
  status: number | undefined;
  responseHeaders: Readonly<Record<string, string>> | undefined;
  /** Set when the browser reported the request failed (CORS refusal, network error, abort). */
  failure: string | undefined;
}

export interface Preflight {
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  status: number | undefined;
  responseHeaders: Readonly<Record<string, string>> | undefined;
}

interface CdpRequestWillBeSent {
  readonly requestId: string;
  readonly request: {
    readonly url: string;
    readonly method: string;
    readonly headers: Record<string, string>;
  };
  readonly initiator: { readonly type: string };
}

interface CdpResponseReceived {
  readonly requestId: string;
  readonly type: string;
  readonly response: {
    readonly url: string;
    readonly status: number;
    readonly headers: Record<string, string>;
  };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function parseEvents(body: Buffer): SentEvent[] {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (!Array.isArray(parsed)) throw new Error('the SDK sent a body that is not a JSON array');
  return parsed as SentEvent[];
}

export class CollectorTraffic {
  readonly posts: CollectorPost[] = [];
  private readonly preflightsById = new Map<string, Preflight>();
  private readonly byRequest = new Map<Request, CollectorPost>();

  private constructor(private readonly endpoint: string) {}

  /** Starts observing `page`'s requests to `endpoint` (call before the page loads the SDK). */
  static async observe(page: Page, endpoint: string): Promise<CollectorTraffic> {
    const traffic = new CollectorTraffic(endpoint);
    page.on('request', (request) => traffic.onRequest(request));
    page.on('response', (response) => {
      const post = traffic.byRequest.get(response.request());
      if (post === undefined) return;
      post.status = response.status();
      // allHeaders() also waits for the raw headers; the page closing first is no answer lost.
      response.allHeaders().then(
        (headers) => {
          post.responseHeaders = headers;
        },
        () => undefined,
      );
    });
    page.on('requestfailed', (request) => {
      const post = traffic.byRequest.get(request);
      if (post !== undefined) post.failure = request.failure()?.errorText ?? 'failed';
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    traffic.watchPreflights(cdp);
    return traffic;
  }

  get preflights(): Preflight[] {
    return [...this.preflightsById.values()];
  }

  /** POSTs the collector answered 200 and whose answer the page could read (CORS passed). */
  get acknowledged(): CollectorPost[] {
    return this.posts.filter((post) => post.status === 200 && post.responseHeaders !== undefined);
  }

  get sentEvents(): SentEvent[] {
    return this.posts.flatMap((post) => post.events);
  }

  private onRequest(request: Request): void {
    if (request.method() !== 'POST' || !request.url().startsWith(this.endpoint)) return;
    const body = request.postDataBuffer() ?? Buffer.alloc(0);
    const post: CollectorPost = {
      url: new URL(request.url()),
      body,
      events: parseEvents(body),
      requestHeaders: lowerCaseKeys(request.headers()),
      status: undefined,
      responseHeaders: undefined,
      failure: undefined,
    };
    this.posts.push(post);
    this.byRequest.set(request, post);
  }

  private watchPreflights(cdp: CDPSession): void {
    cdp.on('Network.requestWillBeSent', (event: CdpRequestWillBeSent) => {
      if (event.initiator.type !== 'preflight' || !event.request.url.startsWith(this.endpoint)) return;
      // Chromium may announce one preflight twice (with and without extra info); one entry per id.
      if (this.preflightsById.has(event.requestId)) return;
      this.preflightsById.set(event.requestId, {
        url: event.request.url,
        requestHeaders: lowerCaseKeys(event.request.headers),
        status: undefined,
        responseHeaders: undefined,
      });
    });
    cdp.on('Network.responseReceived', (event: CdpResponseReceived) => {
      const preflight = this.preflightsById.get(event.requestId);
      if (preflight === undefined) return;
      preflight.status = event.response.status;
      preflight.responseHeaders = lowerCaseKeys(event.response.headers);
    });
  }
}

/** Polls `condition` every 100 ms; fails with `what` after `timeoutMs` (every wait is bounded). */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
