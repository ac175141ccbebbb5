import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshingAppRegistry } from '../../../lambda/core/app-registry';
import { ServiceUnavailableError } from '../../../lambda/core/errors';
import type { MetricsPublisher } from '../../../lambda/observability/telemetry';
import { createTelemetry } from '../../../lambda/observability/telemetry';
import { sampleEvent } from '../../support/events';
import { memoryCollector } from '../../support/memory-collector';

const PARAMETER = '/clickstream/test/apps';

function registry(read: () => Promise<ReadonlySet<string>>, clock = { now: 0 }) {
  const failures: unknown[] = [];
  const outages: unknown[] = [];
  const apps = refreshingAppRegistry({
    read,
    failureBackoffMs: 5_000,
    retryAfterSeconds: 7,
    onReadFailure: (error) => failures.push(error),
    onOutageStart: (error) => outages.push(error),
    now: () => clock.now,
  });
  return { apps, failures, outages, clock };
}

describe('a registry read at run time', () => {
  it('answers from what it read', async () => {
    const { apps } = registry(async () => new Set(['shop']));
    expect(await apps.isRegistered('shop')).toBe(true);
    expect(await apps.isRegistered('other')).toBe(false);
  });

  it('keeps serving the last good list when a read fails, reports the outage once and counts every failure', async () => {
    let value: ReadonlySet<string> | Error = new Set(['shop']);
    const { apps, failures, outages, clock } = registry(async () => {
      if (value instanceof Error) throw value;
      return value;
    });
    expect(await apps.isRegistered('shop')).toBe(true);
    value = new Error('ThrottlingException');
    for (let request = 0; request < 3; request += 1) {
      clock.now += 6_000;
      expect(await apps.isRegistered('shop')).toBe(true);
    }
    expect(failures).toHaveLength(3);
    expect(outages).toHaveLength(1);
  });

  it('does not read again for a while after a failure', async () => {
    const read = vi.fn(async (): Promise<ReadonlySet<string>> => {
      throw new Error('AccessDenied');
    });
    const { apps, clock } = registry(read);
    await expect(apps.isRegistered('shop')).rejects.toBeInstanceOf(ServiceUnavailableError);
    clock.now += 1_000;
    await expect(apps.isRegistered('shop')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('answers 503 with Retry-After, never 403, while it has no good list yet', async () => {
    const { apps } = registry(async () => {
      throw new Error('AccessDenied');
    });
    const failure = await apps.isRegistered('shop').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure).toMatchObject({
      statusCode: 503,
      code: 'registry_unavailable',
      headers: { 'retry-after': '7' },
    });
  });
});

describe('the SSM app registry through Powertools Parameters (mocked SSM client)', () => {
  const ssm = mockClient(SSMClient);
  const published: Array<Record<string, number>> = [];
  const publisher: MetricsPublisher = {
    addMetric: (name, _unit, value) => {
      published.push({ [name]: value });
    },
    publishStoredMetrics: () => undefined,
  };

  beforeEach(() => {
    ssm.reset();
    published.length = 0;
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const collector = () =>
    memoryCollector(
      {
        // The seed list of the environment: the registry parameter, not this, decides.
        CLICKSTREAM_APP_IDS: 'seed_only',
        CLICKSTREAM_APP_REGISTRY_PARAMETER: PARAMETER,
        CLICKSTREAM_APP_REGISTRY_CACHE_SECONDS: '60',
        CLICKSTREAM_METRICS_FLUSH_SECONDS: '0',
      },
      { telemetry: { ...createTelemetry(), metrics: publisher } },
    );
  const send = (target: ReturnType<typeof collector>, appId: string) =>
    target.send({ query: `appId=${appId}`, body: JSON.stringify([sampleEvent()]) });
  const answer = (value: string) => ({
    Parameter: { Name: PARAMETER, Type: 'String' as const, Value: value },
  });

  it('takes in an app added to the parameter within the cache time, with no deploy', async () => {
    ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves(answer('shop'));
    const target = collector();
    expect((await send(target, 'shop')).statusCode).toBe(200);
    expect((await send(target, 'new_app')).statusCode).toBe(403);
    expect((await send(target, 'seed_only')).statusCode).toBe(403);
    ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves(answer('shop,new_app'));
    vi.setSystemTime(Date.now() + 61_000);
    expect((await send(target, 'new_app')).statusCode).toBe(200);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('serves the last good list when SSM throttles, and counts the failed reads', async () => {
    ssm.on(GetParameterCommand).resolvesOnce(answer('shop')).rejects(new Error('ThrottlingException'));
    const target = collector();
    expect((await send(target, 'shop')).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await send(target, 'shop')).statusCode).toBe(200);
    expect(published).toContainEqual({ AppRegistryReadFailures: 1 });
  });

  it('answers 503 with Retry-After when SSM cannot be read at all', async () => {
    ssm.on(GetParameterCommand).rejects(new Error('AccessDeniedException'));
    const response = await send(collector(), 'shop');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(JSON.parse(response.body).error).toBe('registry_unavailable');
  });

  it('keeps the last good list when the parameter holds an invalid app ID', async () => {
    ssm.on(GetParameterCommand).resolvesOnce(answer('shop')).resolves(answer('shop,bad id'));
    const target = collector();
    expect((await send(target, 'shop')).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await send(target, 'shop')).statusCode).toBe(200);
    expect(published).toContainEqual({ AppRegistryReadFailures: 1 });
  });
});
