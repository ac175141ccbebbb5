import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../local/collector';
import {
  decodeRecordEvents,
  ingestionSchemaProblems,
  recordContractProblems,
  type SinkRecord,
} from '../support/record-schema';
import { readStream } from '../support/stream-reader';
import type { HarnessConfig } from './page/clickstream-page';
import { type ChromiumSession, openChromium } from './support/chromium';
import { type CollectorPost, CollectorTraffic, type SentEvent, waitUntil } from './support/collector-traffic';
import { bundlePage, type PageBundle, type PageSite, startPageSite } from './support/page-site';

/**
 * The real web SDK (@aws/clickstream-web) in Chromium, on a page of one loopback origin, sending to
 * the local collector on another: every request is cross-origin, credentialed and preflighted, as
 * on a real site. Each test uses a fresh browser profile and its own app ID, so the stream records
 * of that app ID are exactly what that test's page sent.
 */

const APP_IDS = {
  auto: 'web_auto',
  immediate: 'web_immediate',
  batch: 'web_batch',
  user: 'web_user',
  preflight: 'web_preflight',
  hash: 'web_hash',
  schema: 'web_schema',
  refused: 'web_refused',
} as const;

/** The SDK's storage keys hold an unterminated JSON array of events (`[{…},{…}`). */
function storedEvents(text: string): SentEvent[] {
  return text === '' ? [] : (JSON.parse(`${text}]`) as SentEvent[]);
}

function idsOf(events: readonly SentEvent[]): string[] {
  return events.map((event) => event.event_id).sort();
}

describe('web SDK in Chromium against the local collector', () => {
  let bundle: PageBundle;
  let allowedSite: PageSite;
  let refusedSite: PageSite;
  let collector: LocalCollector;
  let endpoint: string;
  let session: ChromiumSession | undefined;

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
    endpoint = `${collector.url}/collect`;
  });

  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  afterAll(async () => {
    await collector?.stop();
    await allowedSite?.stop();
    await refusedSite?.stop();
    await bundle?.remove();
  });

  interface PageRun {
    readonly session: ChromiumSession;
    readonly traffic: CollectorTraffic;
  }

  /** Opens the page of `site` in a fresh browser and initialises the SDK there. */
  async function openPage(site: PageSite, config: Omit<HarnessConfig, 'endpoint'>): Promise<PageRun> {
    session = await openChromium();
    const traffic = await CollectorTraffic.observe(session.page, endpoint);
    await session.page.goto(site.pageUrl);
    const initialised = await session.page.evaluate(
      (harnessConfig) => window.clickstreamHarness.init(harnessConfig),
      { ...config, endpoint },
    );
    expect(initialised).toBe(true);
    return { session, traffic };
  }

  async function record(
    run: PageRun,
    name: string,
    attributes: Record<string, string | number> = {},
  ): Promise<void> {
    await run.session.page.evaluate(
      ([eventName, eventAttributes]) => window.clickstreamHarness.record(eventName, eventAttributes),
      [name, attributes] as const,
    );
  }

  /**
   * Waits until the page has sent events of every given type, every POST has its answer, and the
   * SDK holds nothing back (no pending batch, no failed events).
   */
  async function settle(run: PageRun, eventTypes: readonly string[]): Promise<void> {
    await waitUntil(`the page sent ${eventTypes.join(', ')} and got every answer`, async () => {
      const sentTypes = new Set(run.traffic.sentEvents.map((event) => event.event_type));
      if (!eventTypes.every((type) => sentTypes.has(type))) return false;
      if (run.traffic.posts.some((post) => post.status === undefined || post.responseHeaders === undefined)) {
        return false;
      }
      const storage = await run.session.page.evaluate(() => window.clickstreamHarness.storage());
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
    await run.session.page.evaluate(() => {
      window.clickstreamHarness.setUserId('user-0042');
      window.clickstreamHarness.setUserAttributes({ plan: 'pro', age: 31 });
      window.clickstreamHarness.record('purchase', { value: 99.9 });
    });
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
    await waitUntil('each POST has its preflight answer', () =>
      run.traffic.posts.every((post) =>
        run.traffic.preflights.some(
          (preflight) => preflight.url === post.url.href && preflight.status !== undefined,
        ),
      ),
    );

    for (const post of run.traffic.posts) {
      const preflight = run.traffic.preflights.find((candidate) => candidate.url === post.url.href);
      expect(preflight?.requestHeaders['access-control-request-method']).toBe('POST');
      expect(preflight?.status).toBe(204);
      expect(preflight?.responseHeaders).toMatchObject({
        'access-control-allow-origin': allowedSite.origin,
        'access-control-allow-credentials': 'true',
      });
      // The actual POST: sent with the page's origin, answered for that origin with credentials.
      expect(post.requestHeaders['content-type']).toBe('application/json; charset=utf-8');
      expect(post.responseHeaders).toMatchObject({
        'access-control-allow-origin': allowedSite.origin,
        'access-control-allow-credentials': 'true',
      });
    }
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

  it('produces records that meet the record contract and the data processing input schema (client_timestamp is the upload_timestamp digit string)', async () => {
    const run = await openPage(allowedSite, { appId: APP_IDS.schema, sendMode: 'Immediate' });
    await record(run, 'button_click');
    await settle(run, ['button_click']);

    const records = await recordsOfApp(APP_IDS.schema);
    expect(records.length).toBe(run.traffic.acknowledged.length);
    for (const record of records) {
      expect(recordContractProblems(record)).toEqual([]);
      expect(ingestionSchemaProblems(record)).toEqual([]);
      const post = run.traffic.acknowledged.find(
        (candidate) => candidate.responseHeaders?.['x-request-id'] === record.rid,
      );
      expect(record).toMatchObject({
        platform: 'Web',
        compression: null,
        client_timestamp: post?.url.searchParams.get('upload_timestamp'),
        ua: post?.requestHeaders['user-agent'],
        data: post?.body.toString('utf8'),
      });
    }
  });

  it('refuses an origin that is not allowed at the preflight, stores nothing, and leaves the SDK holding the events', async () => {
    const run = await openPage(refusedSite, { appId: APP_IDS.refused, sendMode: 'Immediate' });
    await record(run, 'button_click');
    const failedIds = async (): Promise<string[]> =>
      idsOf(
        storedEvents((await run.session.page.evaluate(() => window.clickstreamHarness.storage())).failed),
      );
    // The SDK tries each request three times, then moves its event to the failed-events storage.
    await waitUntil('the SDK moved every attempted event to its failed-events storage', async () => {
      const attempted = new Set(run.traffic.sentEvents.map((event) => event.event_id));
      const failed = await failedIds();
      return (
        run.traffic.sentEvents.some((event) => event.event_type === 'button_click') &&
        [...attempted].every((id) => failed.includes(id))
      );
    });

    expect(run.traffic.acknowledged).toEqual([]);
    const answered = run.traffic.preflights.filter((candidate) => candidate.status !== undefined);
    expect(answered.length).toBeGreaterThan(0);
    for (const preflight of answered) {
      expect(preflight.status).toBe(403);
      expect(preflight.responseHeaders?.['access-control-allow-origin']).toBeUndefined();
    }
    // Retries resend the same event; each is kept once.
    const attempted = [...new Map(run.traffic.sentEvents.map((event) => [event.event_id, event])).values()];
    expect(await failedIds()).toEqual(idsOf(attempted));
    expect(await recordsOfApp(APP_IDS.refused)).toEqual([]);
  });
});
