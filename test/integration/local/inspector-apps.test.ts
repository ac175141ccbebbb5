import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { sampleEvent } from '../../support/events';
import { type InspectorClient, inspectorClient, postToCollector } from '../../support/inspector';

/**
 * The app registry through the inspector (`/_local/apps`): a test registers the app it is about
 * to send as, with no restart, and the very next request to the collector sees the change.
 */

describe('local inspector: app registry', () => {
  let collector: LocalCollector;
  let inspector: InspectorClient;

  beforeAll(async () => {
    collector = await startLocalCollector({
      env: { CLICKSTREAM_APP_IDS: 'seed_b,seed_a' },
      port: 0,
      quiet: true,
      archiver: false,
    });
    inspector = inspectorClient(collector.url);
  });

  afterAll(async () => {
    await collector?.stop();
  });

  const send = (appId: string) =>
    postToCollector(collector.url, `appId=${appId}`, JSON.stringify([sampleEvent({ app_id: appId })]));

  it('lists the registered apps, sorted', async () => {
    const answer = await inspector.call('GET', '/apps');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ apps: ['seed_a', 'seed_b'] });
  });

  it('registers an app at run time: the next request of that app gets 200 and its events show', async () => {
    expect((await send('new_shop')).status).toBe(403);

    const put = await inspector.call('PUT', '/apps/new_shop');

    expect(put.status).toBe(200);
    expect(put.body).toEqual({ appId: 'new_shop', registered: true, changed: true });
    expect((await inspector.call('GET', '/apps/new_shop')).body).toEqual({
      appId: 'new_shop',
      registered: true,
    });
    const response = await send('new_shop');
    expect(response.status).toBe(200);
    expect(await inspector.events({ appId: 'new_shop' })).toHaveLength(1);
  });

  it('removes an app at run time: the next request of that app gets 403 app_id_unknown', async () => {
    await inspector.call('PUT', '/apps/leaving_shop');
    expect((await send('leaving_shop')).status).toBe(200);

    const deleted = await inspector.call('DELETE', '/apps/leaving_shop');

    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ appId: 'leaving_shop', registered: false, changed: true });
    const response = await send('leaving_shop');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'app_id_unknown' });
    expect((await inspector.call('GET', '/apps')).body).toEqual({
      apps: expect.not.arrayContaining(['leaving_shop']),
    });
  });

  it('says when a registration or removal changed nothing', async () => {
    expect((await inspector.call('PUT', '/apps/seed_a')).body).toEqual({
      appId: 'seed_a',
      registered: true,
      changed: false,
    });
    expect((await inspector.call('DELETE', '/apps/never_there')).body).toEqual({
      appId: 'never_there',
      registered: false,
      changed: false,
    });
  });

  it.each([
    ['a character outside the rule', 'bad%20id'],
    ['a dot', 'shop.eu'],
    ['128 characters', 'a'.repeat(128)],
    ['broken percent-encoding', '%E0%A4%A'],
  ])(
    'refuses an app ID with %s (400 invalid_app_id, the function’s rule), registering nothing',
    async (_, id) => {
      const before = (await inspector.call('GET', '/apps')).body;

      const answer = await inspector.call('PUT', `/apps/${id}`);

      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'invalid_app_id',
        message: expect.stringMatching(/letters, digits|percent-encoding/),
        requestId: answer.headers.get('x-request-id'),
      });
      expect((await inspector.call('GET', '/apps')).body).toEqual(before);
    },
  );

  it('accepts the longest valid app ID (127 characters)', async () => {
    const id = `a${'_'.repeat(125)}z`;

    const answer = await inspector.call('PUT', `/apps/${id}`);

    expect(answer.status).toBe(200);
    expect((await send(id)).status).toBe(200);
  });
});
