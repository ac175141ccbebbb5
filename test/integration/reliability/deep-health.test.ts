import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHttpHandler } from '../../../lambda/app';
import { lambdaContext, lambdaEvent, normalizeResult } from '../../support/lambda-events';
import { type Rig, startRig } from '../../support/reliability-rig';

/**
 * `GET /health?deep=1` against the emulators, through the fault proxies. Each test builds its own
 * handler: a fresh container, so no health answer is cached from another test.
 */

async function deepHealth(handler: LambdaHttpHandler) {
  const result = normalizeResult(
    await handler(
      lambdaEvent('function-url', { method: 'GET', path: '/health', query: 'deep=1' }),
      lambdaContext,
    ),
  );
  return { statusCode: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

describe('deep health check against the emulators', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ name: 'deep-health' });
  });

  afterEach(() => {
    rig.kinesisProxy.setMode({ kind: 'pass' });
    rig.s3Proxy.setMode({ kind: 'pass' });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it('answers ok when the stream is ACTIVE and the bucket is writable', async () => {
    const health = await deepHealth(rig.newHandler());
    expect(health).toMatchObject({ statusCode: 200, body: { status: 'ok', stream: 'ok', bucket: 'ok' } });
  });

  it('answers 200 degraded when the stream does not exist (the fallback still takes data)', async () => {
    const health = await deepHealth(rig.newHandler({ CLICKSTREAM_STREAM_NAME: 'no-such-stream' }));
    expect(health).toMatchObject({
      statusCode: 200,
      body: { status: 'degraded', stream: 'failing', bucket: 'ok' },
    });
  });

  it('answers 200 degraded when S3 is down but the stream works', async () => {
    rig.s3Proxy.setMode({ kind: 'status', status: 503 });
    const health = await deepHealth(rig.newHandler());
    expect(health).toMatchObject({
      statusCode: 200,
      body: { status: 'degraded', stream: 'ok', bucket: 'failing' },
    });
  });

  it('answers 503 unavailable when Kinesis and S3 are both down', async () => {
    rig.kinesisProxy.setMode({ kind: 'drop' });
    rig.s3Proxy.setMode({ kind: 'drop' });
    const health = await deepHealth(rig.newHandler());
    expect(health).toMatchObject({
      statusCode: 503,
      body: { status: 'unavailable', stream: 'failing', bucket: 'failing' },
    });
  });

  it('probes the sinks once for checks within the cache period', async () => {
    const handler = rig.newHandler();
    rig.kinesisProxy.clearCalls();
    await Promise.all([deepHealth(handler), deepHealth(handler)]);
    await deepHealth(handler);
    const probes = rig.kinesisProxy.calls.filter((call) => call.operation.endsWith('.DescribeStreamSummary'));
    expect(probes).toHaveLength(1);
  });
});
