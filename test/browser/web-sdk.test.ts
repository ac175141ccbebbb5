import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../local/collector';
import {
  decodeRecordEvents,
  ingestionSchemaProblems,
  readAsLong,
  recordContractProblems,
  type SinkRecord,
} from '../support/record-schema';
import { readStream } from '../support/stream-reader';
import { waitUntil } from '../support/wait';
import type { HarnessConfig, SdkStorage } from './page/clickstream-page';
import { BROWSER_NAMES, type BrowserName, type BrowserSession } from './support/browser-session';
import {
  type CollectorPost,
  type CollectorTap,
  type CollectorTraffic,
  type SentEvent,
  startCollectorTap,
} from './support/collector-traffic';
import { openBrowser } from './support/open-browser';
import { bundlePage, type PageBundle, type PageSite, startPageSite } from './support/page-site';

/**
 * The real web SDK (@aws/clickstream-web) in Chromium, Firefox and WebKit, on a page of one
 * loopback origin, sending to the local collector on another: every request is cross-origin,
 * credentialed and preflighted, as on a real site. The same specification runs in each browser.
 * Each test uses a fresh browser profile and its own app ID, so the stream records of that app ID
 * are exactly what that test's page sent, and the tap's traffic of that app ID is exactly what
 * that page's browser put on the wire to the collector.
 */

/**
 * The web SDK sets its own User-Agent header on each fetch. Chromium drops it; Firefox and WebKit
 * send it, so their preflights ask for `user-agent` (a collector that does not grant it gets no
 * POST from them at all).
 */
const SENDS_SDK_USER_AGENT: Readonly<Record<BrowserName, boolean>> = {
  chromium: false,
  firefox: true,
  webkit: true,
};

function appIdsFor(browser: BrowserName) {
  const id = (scenario: string): string => `web_${browser}_${scenario}`;
  return {
    auto: id('auto'),
    immediate: id('immediate'),
    batch: id('batch'),
    user: id('user'),
    preflight: id('preflight'),
    headers: id('headers'),
    hash: id('hash'),
    schema: id('schema'),
    refused: id('refused'),
  } as const;
}

/** The SDK's storage keys hold an unterminated JSON array of events (`[{…},{…}`). */
function storedEvents(text: string): SentEvent[] {
  return text === '' ? [] : (JSON.parse(`${text}]`) as SentEvent[]);
}

function idsOf(events: readonly SentEvent[]): string[] {
  return events.map((event) => event.event_id).sort();
}

function isSdkStorage(value: unknown): value is SdkStorage {
  return (
    typeof value === 'object' &&
    value !== null &&
    'pending' in value &&
    typeof value.pending === 'string' &&
    'failed' in value &&
    typeof value.failed === 'string'
  );
}

/** The Access-Control-Allow-Headers list of an answer, lower-cased and trimmed. */
function grantedHeaders(responseHeaders: Readonly<Record<string, string>> | undefined): string[] {
  return (responseHeaders?.['access-control-allow-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

describe.each(BROWSER_NAMES)('web SDK in %s against the local collector', (browserName) => {
  const APP_IDS = appIdsFor(browserName);
  let bundle: PageBundle;
  let allowedSite: PageSite;
  let refusedSite: PageSite;
  let collector: LocalCollector;
  let tap: CollectorTap;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    bundle = await bundlePage();
    allowedSite = await startPageSite(bundle);
    refusedSite = await startPageSite(bundle);
    collector = await startLocalCollector({
      env: {
        CLICKSTREAM_APP_IDS: Object.values(APP_IDS).join(','),
        // Only the first site's origin: the second is a different port, so a different origin.
        CLICKSTREAM_CORS_ORIGINS: allowedSite.origin,
      },
      port: 0,
      quiet: true,
      archiver: false,
    });
    tap = await startCollectorTap(collector.url, '/collect');
  });

  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  afterAll(async () => {
    await tap?.stop();
    await collector?.stop();
    await allowedSite?.stop();
    await refusedSite?.stop();
    await bundle?.remove();
  });

  interface PageRun {
    readonly session: BrowserSession;
    readonly appId: string;
    /** What reached the collector from this page so far (a fresh view on each read). */
    readonly traffic: CollectorTraffic;
  }

  /** Opens the page of `site` in a fresh browser and initialises the SDK there. */
  async function openPage(site: PageSite, config: Omit<HarnessConfig, 'endpoint'>): Promise<PageRun> {
    const opened = await openBrowser(browserName);
    session = opened;
    await opened.goto(site.pageUrl);
    const harnessConfig = { ...config, endpoint: tap.endpoint };
    const initialised = await opened.evaluate(
      (pageConfig) => window.clickstreamHarness.init(pageConfig),
      harnessConfig,
    );
    expect(initialised).toBe(true);
    return {
      session: opened,
      appId: config.appId,
      get traffic() {
        return tap.traffic(config.appId);
      },
    };
  }

  async function record(
    run: PageRun,
    name: string,
    attributes: Record<string, string | number> = {},
  ): Promise<void> {
    await run.session.evaluate(
      ([eventName, eventAttributes]) => window.clickstreamHarness.record(eventName, eventAttributes),
      [name, attributes] as const,
    );
  }

  async function sdkStorage(run: PageRun): Promise<SdkStorage> {
    const storage = await run.session.evaluate(() => window.clickstreamHarness.storage(), null);
    if (!isSdkStorage(storage))
      throw new Error(`the page returned no SDK storage: ${JSON.stringify(storage)}`);
    return storage;
  }

  /**
   * Waits until the page has sent events of every given type, every request has its answer, and
   * the SDK holds nothing back (no pending batch, no failed events).
   */
  async function settle(run: PageRun, eventTypes: readonly string[]): Promise<void> {
    await waitUntil(`the page sent ${eventTypes.join(', ')} and got every answer`, async () => {
      const traffic = run.traffic;
      const sentTypes = new Set(traffic.sentEvents.map((event) => event.event_type));
      if (!eventTypes.every((type) => sentTypes.has(type)) || traffic.inFlight) return false;
      const storage = await sdkStorage(run);
      return storage.pending === '' && storage.failed === '';
    });
  }

  async function recordsOfApp(appId: string): Promise<SinkRecord[]> {
    return (await readStream(collector.kinesisEndpoint, collector.streamName)).filter(
      (record) => record.appId === appId,
    );
  }

  /**
   * The central promise: each 200-acknowledged request is one record (its `x-request-id`) holding
   * exactly the events of that request, and the app's stream holds nothing else.
   */
  async function expectStreamMatchesAcknowledged(
    appId: string,
    acknowledged: readonly CollectorPost[],
  ): Promise<void> {
    const records = await recordsOfApp(appId);
    for (const post of acknowledged) {
      const matching = records.filter((record) => record.rid === post.responseHeaders?.['x-request-id']);
      expect(matching).toHaveLength(1);
      expect(decodeRecordEvents(matching[0] as SinkRecord)).toEqual(post.events);
    }
    const storedIds = records.flatMap((record) => decodeRecordEvents(record) as SentEvent[]);
    expect(idsOf(storedIds)).toEqual(idsOf(acknowledged.flatMap((post) => post.events)));
  }

  it('sends the automatic _first_open, _session_start and _page_view events of a first visit to the stream', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.auto, sendMode: 'Immediate' });
    await settle(run, ['_first_open', '_session_start', '_page_view']);

    const stored = (await recordsOfApp(APP_IDS.auto)).flatMap(
      (record) => decodeRecordEvents(record) as SentEvent[],
    );
    const types = stored.map((event) => event.event_type);
    expect(types).toEqual(expect.arrayContaining(['_first_open', '_session_start', '_page_view']));
    const pageView = stored.find((event) => event.event_type === '_page_view');
    expect(pageView?.attributes).toMatchObject({ _page_url: allowedSite.pageUrl });
    expect(pageView).toMatchObject({ platform: 'Web', app_id: APP_IDS.auto });
  });

  it('in immediate mode sends one event per request, and every acknowledged event is in the stream exactly once', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.immediate, sendMode: 'Immediate' });
    for (let index = 1; index <= 5; index += 1) await record(run, 'button_click', { index });
    await settle(run, ['_first_open', '_session_start', '_page_view', 'button_click']);
    await waitUntil(
      'five button_click events were answered',
      () =>
        run.traffic.acknowledged
          .flatMap((post) => post.events)
          .filter((event) => event.event_type === 'button_click').length === 5,
    );

    expect(run.traffic.posts.every((post) => post.events.length === 1)).toBe(true);
    expect(run.traffic.acknowledged).toHaveLength(run.traffic.posts.length);
    await expectStreamMatchesAcknowledged(APP_IDS.immediate, run.traffic.acknowledged);
  });

  it('in batch mode sends the stored events as one JSON array per flush, and every acknowledged event is in the stream exactly once', async () => {
    const run = await openPage(allowedSite, {
      appId: APP_IDS.batch,
      sendMode: 'Batch',
      sendEventsInterval: 1_000,
    });
    for (let index = 1; index <= 5; index += 1) await record(run, 'product_view', { index });
    await settle(run, ['_first_open', '_session_start', '_page_view', 'product_view']);

    expect(run.traffic.posts.some((post) => post.events.length > 1)).toBe(true);
    expect(run.traffic.sentEvents.filter((event) => event.event_type === 'product_view')).toHaveLength(5);
    expect(run.traffic.acknowledged).toHaveLength(run.traffic.posts.length);
    await expectStreamMatchesAcknowledged(APP_IDS.batch, run.traffic.acknowledged);
  });

  it('stores setUserId and setUserAttributes as _profile_set with the user attributes, and later events carry the user id', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.user, sendMode: 'Immediate' });
    await run.session.evaluate(() => {
      window.clickstreamHarness.setUserId('user-0042');
      window.clickstreamHarness.setUserAttributes({ plan: 'pro', age: 31 });
      window.clickstreamHarness.record('purchase', { value: 99.9 });
    }, null);
    await settle(run, ['_profile_set', 'purchase']);
    await expectStreamMatchesAcknowledged(APP_IDS.user, run.traffic.acknowledged);

    const stored = (await recordsOfApp(APP_IDS.user)).flatMap(
      (record) => decodeRecordEvents(record) as SentEvent[],
    );
    const profileSets = stored.filter((event) => event.event_type === '_profile_set');
    const withAttributes = profileSets.find(
      (event) => (event.user as Record<string, { value: unknown }> | undefined)?.plan !== undefined,
    );
    expect(withAttributes?.user).toMatchObject({
      _user_id: { value: 'user-0042' },
      plan: { value: 'pro' },
      age: { value: 31 },
    });
    const purchase = stored.find((event) => event.event_type === 'purchase');
    expect(purchase?.user).toMatchObject({ _user_id: { value: 'user-0042' } });
  });

  it('has every credentialed POST preflighted and allowed for its exact origin with credentials', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.preflight, sendMode: 'Immediate' });
    await record(run, 'button_click');
    await settle(run, ['_page_view', 'button_click']);

    const { posts, preflights } = run.traffic;
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      const preflight = preflights.find((candidate) => candidate.url.href === post.url.href);
      expect(preflight?.requestHeaders['access-control-request-method']).toBe('POST');
      expect(preflight?.requestHeaders.origin).toBe(allowedSite.origin);
      expect(preflight?.status).toBe(204);
      expect(preflight?.responseHeaders).toMatchObject({
        'access-control-allow-origin': allowedSite.origin,
        'access-control-allow-credentials': 'true',
      });
      // The actual POST: sent with the page's origin, answered for that origin with credentials.
      expect(post.requestHeaders.origin).toBe(allowedSite.origin);
      expect(post.requestHeaders['content-type']).toBe('application/json; charset=utf-8');
      expect(post.responseHeaders).toMatchObject({
        'access-control-allow-origin': allowedSite.origin,
        'access-control-allow-credentials': 'true',
      });
    }
  });

  it('grants every request header the preflight asks for (Firefox and WebKit ask for the SDK-set user-agent), so each preflight is followed by its POST', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.headers, sendMode: 'Immediate' });
    await record(run, 'button_click');
    // Settled either way: the click was answered, or the SDK gave up on it (three tries) and
    // moved it to its failed-events storage.
    await waitUntil('the SDK is done trying to send button_click', async () => {
      const storage = await sdkStorage(run);
      const answered = run.traffic.acknowledged.some((post) =>
        post.events.some((event) => event.event_type === 'button_click'),
      );
      const givenUp = storedEvents(storage.failed).some((event) => event.event_type === 'button_click');
      return storage.pending === '' && !run.traffic.inFlight && (answered || givenUp);
    });

    const { posts, preflights } = run.traffic;
    expect(preflights.length).toBeGreaterThan(0);
    if (SENDS_SDK_USER_AGENT[browserName]) {
      expect(preflights.every((preflight) => preflight.requestedHeaders.includes('user-agent'))).toBe(true);
    }
    for (const preflight of preflights) {
      expect(preflight.status).toBe(204);
      expect(grantedHeaders(preflight.responseHeaders)).toEqual(
        expect.arrayContaining([...preflight.requestedHeaders]),
      );
      expect(posts.filter((post) => post.url.href === preflight.url.href)).toHaveLength(1);
    }
    expect((await sdkStorage(run)).failed).toBe('');
    expect(posts.every((post) => post.status === 200)).toBe(true);
  });

  it('puts in each request query a hashCode equal to the first 8 hex chars of SHA-256 of the body, which the collector accepts', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.hash, sendMode: 'Immediate' });
    await record(run, 'button_click', { label: 'naïve ✓ unicode' });
    await settle(run, ['button_click']);

    expect(run.traffic.posts.length).toBeGreaterThan(0);
    for (const post of run.traffic.posts) {
      const expected = createHash('sha256').update(post.body).digest('hex').slice(0, 8);
      expect(post.url.searchParams.get('hashCode')).toBe(expected);
      expect(post.status).toBe(200);
    }
  });

  it('produces records that meet the record contract and the data processing input schema, with client_timestamp carrying upload_timestamp', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.schema, sendMode: 'Immediate' });
    await record(run, 'button_click');
    await settle(run, ['button_click']);

    const records = await recordsOfApp(APP_IDS.schema);
    expect(records.length).toBe(run.traffic.acknowledged.length);
    for (const record of records) {
      // The contract checker owns the field types (client_timestamp included); here the values.
      expect(recordContractProblems(record)).toEqual([]);
      expect(ingestionSchemaProblems(record)).toEqual([]);
      const post = run.traffic.acknowledged.find(
        (candidate) => candidate.responseHeaders?.['x-request-id'] === record.rid,
      );
      const uploadTimestamp = post?.url.searchParams.get('upload_timestamp');
      expect(uploadTimestamp).toMatch(/^\d+$/);
      expect(readAsLong(record.client_timestamp)).toBe(BigInt(uploadTimestamp ?? ''));
      expect(record).toMatchObject({
        platform: 'Web',
        compression: null,
        ua: post?.requestHeaders['user-agent'],
        data: post?.body.toString('utf8'),
      });
    }
  });

  it('refuses an origin that is not allowed at the preflight, stores nothing, and leaves the SDK holding the events', async () => {
    const run = await openPage(refusedSite, { appId: APP_IDS.refused, sendMode: 'Immediate' });
    await record(run, 'button_click');
    const failedEvents = async (): Promise<SentEvent[]> => storedEvents((await sdkStorage(run)).failed);
    /** Each body the SDK tried to send has its own hashCode, and its preflight carries it. */
    const attemptedBodies = (): number =>
      new Set(run.traffic.preflights.map((preflight) => preflight.url.searchParams.get('hashCode'))).size;
    // The SDK tries each request three times, then moves its event to the failed-events storage.
    await waitUntil('the SDK moved every attempted event to its failed-events storage', async () => {
      const failed = await failedEvents();
      return (
        failed.some((event) => event.event_type === 'button_click') &&
        failed.length === attemptedBodies() &&
        !run.traffic.inFlight
      );
    });

    // The browser never sent a POST: the refused preflight stopped each one.
    expect(run.traffic.posts).toEqual([]);
    const answered = run.traffic.preflights.filter((candidate) => candidate.status !== undefined);
    expect(answered.length).toBeGreaterThan(0);
    for (const preflight of answered) {
      expect(preflight.requestHeaders.origin).toBe(refusedSite.origin);
      expect(preflight.status).toBe(403);
      expect(preflight.responseHeaders?.['access-control-allow-origin']).toBeUndefined();
    }
    // Retries resend the same event; each is kept once.
    const failedIds = idsOf(await failedEvents());
    expect(new Set(failedIds).size).toBe(failedIds.length);
    expect(await recordsOfApp(APP_IDS.refused)).toEqual([]);
  });
});
