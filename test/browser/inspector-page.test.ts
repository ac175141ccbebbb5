import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../local/collector';
import { sampleEvent } from '../support/events';
import { inspectorClient, postToCollector } from '../support/inspector';
import { waitUntil } from '../support/wait';
import type { BrowserSession } from './support/browser-session';
import { openBrowser } from './support/open-browser';
import { summarizePng } from './support/png';

/**
 * The inspector page (`/_local/`) in Chromium: it shows events sent after it loaded without a
 * reload, the quarantine with its reasons, hostile event text as text, its filters and its reset
 * button. A screenshot of the rendered page is kept in a temporary folder and in
 * `test-results/inspector-page.png` (git-ignored) for people to look at.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOSTILE_TYPE = '<img src=x onerror="window.pwned=true">';

interface PageText {
  /** Each table's rows, each row its cells' text. */
  readonly events: string[][];
  readonly quarantine: string[][];
  readonly summary: string;
}

function isRows(value: unknown): value is string[][] {
  return (
    Array.isArray(value) &&
    value.every((row) => Array.isArray(row) && row.every((cell) => typeof cell === 'string'))
  );
}

/** The page's tables and summary, as text. */
async function readPage(session: BrowserSession): Promise<PageText> {
  const value = await session.evaluate(() => {
    const rows = (selector: string) =>
      Array.from(document.querySelectorAll<HTMLTableRowElement>(`${selector} tbody tr`)).map((row) =>
        Array.from(row.cells).map((cell) => cell.textContent ?? ''),
      );
    return {
      events: rows('#events'),
      quarantine: rows('#quarantine'),
      summary: document.querySelector('#summary')?.textContent ?? '',
    };
  }, null);
  if (
    typeof value !== 'object' ||
    value === null ||
    !('events' in value && isRows(value.events)) ||
    !('quarantine' in value && isRows(value.quarantine)) ||
    !('summary' in value && typeof value.summary === 'string')
  )
    throw new Error(`unexpected page text: ${JSON.stringify(value)}`);
  return { events: value.events, quarantine: value.quarantine, summary: value.summary };
}

describe('inspector page in Chromium', () => {
  let collector: LocalCollector;
  let session: BrowserSession;
  let screenshots: string;

  beforeAll(async () => {
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, archiver: false });
    session = await openBrowser('chromium');
    screenshots = await mkdtemp(join(tmpdir(), 'clickstream-inspector-'));
  });

  afterAll(async () => {
    await session?.close();
    await collector?.stop();
    await rm(screenshots, { recursive: true, force: true });
  });

  it('shows accepted and quarantined events as they arrive, hostile text as text, and renders them in a screenshot', async () => {
    await session.goto(`${collector.url}/_local/`);
    await waitUntil('the page shows its empty state', async () =>
      (await readPage(session)).events.some((row) => row[0] === 'No accepted events yet.'),
    );
    const empty = await session.screenshot();

    const batch = [
      sampleEvent({ event_type: 'add_to_cart', event_id: 'cart-1', app_id: 'test_release' }),
      sampleEvent({ event_type: 'view_item', event_id: 'view-1', app_id: 'test_release' }),
    ];
    const accepted = await postToCollector(
      collector.url,
      'appId=test_release&platform=Web',
      JSON.stringify(batch),
    );
    const rid = accepted.headers.get('x-request-id') ?? '';
    const hostile = [sampleEvent({ event_type: HOSTILE_TYPE, event_id: '</td><b>bold</b>' })];
    expect((await postToCollector(collector.url, 'appId=test_app', JSON.stringify(hostile))).status).toBe(
      200,
    );
    const invalid = [{ event_type: 'checkout', app_id: 'test_app', timestamp: 1 }];
    expect((await postToCollector(collector.url, 'appId=test_app', JSON.stringify(invalid))).status).toBe(
      200,
    );

    await waitUntil('the page shows the three accepted events and the quarantined one', async () => {
      const page = await readPage(session);
      return page.events.length === 3 && page.quarantine.length === 1;
    });
    const page = await readPage(session);
    expect(page.events.map((row) => row.slice(1, 6))).toEqual([
      ['test_app', HOSTILE_TYPE, '</td><b>bold</b>', expect.stringMatching(/^[0-9a-f]{32}$/), 'stream'],
      ['test_release', 'add_to_cart', 'cart-1', rid, 'stream'],
      ['test_release', 'view_item', 'view-1', rid, 'stream'],
    ]);
    expect(page.events[1]?.[0]).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(page.quarantine[0]?.slice(1, 4)).toEqual(['test_app', 'invalid event', 'checkout']);
    expect(page.quarantine[0]?.[4]).toMatch(/^event_id: /);
    expect(page.summary).toMatch(/3 accepted events · 1 quarantined event · 0 rejected bodies · 3 requests/);
    // The hostile markup stayed text: no element was made from it, and its handler never ran.
    const injected = await session.evaluate(
      () => ({
        images: document.querySelectorAll('main img').length,
        bold: document.querySelectorAll('main b').length,
        pwned: 'pwned' in window,
      }),
      null,
    );
    expect(injected).toEqual({ images: 0, bold: 0, pwned: false });

    const shot = await session.screenshot();
    await writeFile(join(screenshots, 'inspector-page.png'), shot);
    await mkdir(join(REPO_ROOT, 'test-results'), { recursive: true });
    await writeFile(join(REPO_ROOT, 'test-results', 'inspector-page.png'), shot);
    const rendered = summarizePng(shot);
    const blank = summarizePng(empty);
    expect(rendered.width).toBeGreaterThanOrEqual(800);
    expect(rendered.height).toBeGreaterThanOrEqual(400);
    // Text is antialiased: a page of rows has many colours and more ink than the empty page.
    expect(rendered.colours).toBeGreaterThan(100);
    expect(rendered.inked).toBeGreaterThan(blank.inked);
  });

  it('filters by app and event type as the user types', async () => {
    await session.evaluate((appId: string) => {
      const input = document.querySelector<HTMLInputElement>('input[name=appId]');
      if (input === null) throw new Error('no app filter');
      input.value = appId;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, 'test_release');
    await waitUntil('only test_release events are shown', async () => {
      const { events } = await readPage(session);
      return events.length === 2 && events.every((row) => row[1] === 'test_release');
    });

    await session.evaluate((eventType: string) => {
      const input = document.querySelector<HTMLInputElement>('input[name=event_type]');
      if (input === null) throw new Error('no event type filter');
      input.value = eventType;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, 'view_item');

    await waitUntil('only the view_item event is shown', async () => {
      const { events, quarantine } = await readPage(session);
      return (
        events.length === 1 && events[0]?.[2] === 'view_item' && quarantine[0]?.[0] === 'Nothing quarantined.'
      );
    });
  });

  it('forgets what it showed when the user presses Reset', async () => {
    await session.evaluate(() => {
      for (const name of ['appId', 'event_type']) {
        const input = document.querySelector<HTMLInputElement>(`input[name=${name}]`);
        if (input !== null) input.value = '';
      }
      document.querySelector<HTMLButtonElement>('#reset')?.click();
    }, null);

    await waitUntil('the page is back to its empty state', async () => {
      const page = await readPage(session);
      return page.events[0]?.[0] === 'No accepted events yet.' && page.summary.includes('0 accepted events');
    });
    expect((await inspectorClient(collector.url).summary()).accepted).toBe(0);
  });
});
