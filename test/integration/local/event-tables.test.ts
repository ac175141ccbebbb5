import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_EXAMPLE, exampleUrl } from '../../../local/api-example';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type LocalTablesLocation, queryLocalTables } from '../../../local/local-tables';
import { tablesOf } from '../../support/local-tables';
import { buildMobileRequest, mobileEvent, sendRaw } from '../../support/mobile-wire-client';

/**
 * End to end on a laptop: the API document's cURL example and a gzip + base64 body from the
 * mobile wire client go through the local collector, the archiver flattens them, and the query
 * tool finds every sent event in all five tables.
 */

const run = promisify(execFile);
const CURL_EVENT_IDS = ['460daa08-0717-4385-8f2e-acb5bd019ee7', 'c6067c1c-fd8d-4fdb-bfaf-cc1212ca0195'];

const QUARANTINED_EVENT = '[{"event_type":"no_id","timestamp":1700000000000,"app_id":"test_app"}]';

describe('the event tables of the local archive', () => {
  let collector: LocalCollector;
  let location: LocalTablesLocation;
  let dataDir: string;
  const rids: string[] = [];
  const userId = `user-${randomUUID()}`;
  const mobileEvents = [
    mobileEvent('Android', 'test_app', {
      event_type: '_profile_set',
      user: {
        _user_id: { value: userId, set_timestamp: 1_700_000_000_000 },
        level: { value: 7, set_timestamp: 1 },
      },
    }),
    mobileEvent('Android', 'test_app', {
      event_type: 'add_to_cart',
      items: [{ id: 'sku-42', name: 'Classic coat-rack', price: 167, quantity: 1 }],
    }),
  ];
  const mobileIds = mobileEvents.map((event) => String(event.event_id));

  const query = (sql: string) => queryLocalTables(sql, location);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'event-tables-'));
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, dataDir });
    location = tablesOf(collector);
    const curl = await fetch(exampleUrl(collector.url, '/collect'), {
      method: 'POST',
      headers: API_EXAMPLE.headers,
      body: API_EXAMPLE.body,
    });
    expect(curl.status).toBe(200);
    const mobile = buildMobileRequest(mobileEvents, {
      platform: 'Android',
      endpoint: `${collector.url}/collect`,
      appId: 'test_app',
      bundleSequenceId: 3,
    });
    const sent = await sendRaw(collector.url, { method: 'POST', ...mobile });
    expect(sent.status).toBe(200);
    rids.push(curl.headers.get('x-request-id') ?? '', String(sent.headers['x-request-id']));
    // One quarantined event and one rejected body, for the quarantine table.
    const post = (body: string) =>
      fetch(`${collector.url}/collect?appId=test_app`, {
        method: 'POST',
        body,
        headers: API_EXAMPLE.headers,
      });
    expect((await post(QUARANTINED_EVENT)).headers.get('x-clickstream-quarantined')).toBe('1');
    expect((await post('not json')).status).toBe(400);
    let archived = 0;
    for (let round = 0; archived < 2 && round < 50; round += 1) archived += await collector.drainArchive();
    expect(archived).toBe(2);
  });

  afterAll(async () => {
    await collector?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('has both requests in ingestion_events, the gzip one as the base64 text it was sent as', async () => {
    const { rows } = await query(
      'SELECT rid, appId, compression, data, platform FROM ingestion_events ORDER BY rid',
    );
    expect(rows.map((row) => row.rid).sort()).toEqual([...rids].sort());
    const gzip = rows.find((row) => row.compression === 'gzip');
    expect(gzip).toMatchObject({ appId: 'test_app', platform: 'Android' });
    expect(String(gzip?.data)).not.toContain('{');
  });

  it('has every sent event in event, plain and gzip alike, with its name, app partition and request', async () => {
    const { rows } = await query(
      'SELECT event_id, event_name, partition_app, rid, ip, event_bundle_sequence_id FROM event ORDER BY event_timestamp',
    );
    expect(rows.map((row) => row.event_id).sort()).toEqual([...CURL_EVENT_IDS, ...mobileIds].sort());
    expect(rows.find((row) => row.event_id === CURL_EVENT_IDS[0])).toMatchObject({
      event_name: 'button_click',
      partition_app: 'test_release',
      ip: '101.188.67.134',
      event_bundle_sequence_id: 1,
    });
    expect(rows.find((row) => row.event_id === mobileIds[1])).toMatchObject({
      event_name: 'add_to_cart',
      partition_app: 'test_app',
      event_bundle_sequence_id: 3,
    });
  });

  it('has the quarantined event, with its reasons and exact text, and the rejected body in quarantine', async () => {
    const { rows } = await query(
      'SELECT kind, app_id, event_index, event, reasons, error, body FROM quarantine ORDER BY kind DESC',
    );
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'rejected_body',
        app_id: 'test_app',
        error: 'invalid_json',
        body: 'not json',
      }),
      expect.objectContaining({
        kind: 'invalid_event',
        event_index: 0,
        event: QUARANTINED_EVENT.slice(1, -1),
        reasons: [expect.stringContaining('event_id')],
      }),
    ]);
  });

  it('offers the fallback table, empty while Kinesis takes every record', async () => {
    const { rows, columns } = await query('SELECT * FROM fallback');
    expect(rows).toEqual([]);
    expect(columns.map((column) => column.name)).toEqual(expect.arrayContaining(['rid', 'data', 'appId']));
  });

  it('answers the README quick-start query', async () => {
    const { rows } = await query('SELECT event_name, count(*) FROM event GROUP BY 1 ORDER BY 1');
    expect(rows).toContainEqual({ event_name: 'button_click', 'count_star()': 1 });
    expect(rows).toContainEqual({ event_name: '_profile_set', 'count_star()': 1 });
  });

  it('has their attributes in event_parameter, typed', async () => {
    const { rows } = await query(
      `SELECT event_id, event_param_key, event_param_double_value, event_param_string_value FROM event_parameter
       WHERE event_id = '${CURL_EVENT_IDS[0]}' ORDER BY event_param_key`,
    );
    expect(rows).toEqual([
      {
        event_id: CURL_EVENT_IDS[0],
        event_param_key: 'Price',
        event_param_double_value: 99.9,
        event_param_string_value: null,
      },
      {
        event_id: CURL_EVENT_IDS[0],
        event_param_key: 'productName',
        event_param_double_value: null,
        event_param_string_value: 'shoes',
      },
    ]);
    const mobile = await query(
      `SELECT count(*) AS n FROM event_parameter WHERE event_id = '${mobileIds[0]}'`,
    );
    expect(mobile.rows[0]?.n).toBe(7);
  });

  it('has the profile in user and the item in item', async () => {
    const users = await query(
      `SELECT user_id, user_pseudo_id, list_transform(user_properties, p -> p.key) AS keys FROM "user" WHERE user_id = '${userId}'`,
    );
    expect(users.rows).toEqual([
      {
        user_id: userId,
        user_pseudo_id: 'c84ad28d-16a8-4af4-a331-f34cdc7a7a18',
        keys: ['_user_id', 'level'],
      },
    ]);
    const items = await query("SELECT id, event_id FROM item WHERE id = 'sku-42'");
    expect(items.rows).toEqual([{ id: 'sku-42', event_id: mobileIds[1] }]);
  });

  it('prints one JSON object per row with npm run query -- --json', async () => {
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'local/query.ts',
        '--json',
        "SELECT event_id FROM event WHERE partition_app = 'test_release' ORDER BY 1",
      ],
      { env: { ...process.env, CLICKSTREAM_LOCAL_DATA_DIR: dataDir } },
    );
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([...CURL_EVENT_IDS].sort().map((id) => ({ event_id: id })));
  });

  it('runs every npm run query command of the README', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const commands = [...readme.matchAll(/^npm run query -- (?:--json )?"(.+)"$/gm)].map(
      (match) => match[1] ?? '',
    );
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const sql of commands) {
      const result = await query(sql);
      expect(result.rows.length, sql).toBeGreaterThan(0);
    }
  });
});

describe('the event tables before anything was archived', () => {
  it('exist, with their columns, and hold no rows', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-tables-'));
    try {
      const location = {
        bucketDirectory: join(empty, 's3', 'clickstream-local'),
        archivePrefix: 'archive/',
        tablesPrefix: 'tables/',
        quarantinePrefix: 'quarantine/',
        fallbackPrefix: 'fallback/',
      };
      for (const table of [
        'ingestion_events',
        'event',
        'event_parameter',
        '"user"',
        'item',
        'quarantine',
        'fallback',
      ]) {
        const result = await queryLocalTables(`SELECT * FROM ${table}`, location);
        expect(result.rows, table).toEqual([]);
        expect(result.columns.length, table).toBeGreaterThan(6);
      }
      const typed = await queryLocalTables('SELECT event_timestamp, device FROM event', location);
      expect(typed.columns.map((column) => column.type)).toEqual([
        'BIGINT',
        expect.stringMatching(/^STRUCT\("mobile_brand_name" VARCHAR/),
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
