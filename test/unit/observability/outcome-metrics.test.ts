import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from '../../../lambda/core/outcome';
import { type MetricsPublisher, OutcomeMetrics } from '../../../lambda/observability/telemetry';

function recorder() {
  const published: Array<Record<string, number>> = [];
  let pending: Record<string, number> = {};
  const publisher: MetricsPublisher = {
    addMetric: (name, _unit, value) => {
      pending[name] = value;
    },
    publishStoredMetrics: () => {
      published.push(pending);
      pending = {};
    },
  };
  return { publisher, published };
}

const accepted: RequestOutcome = {
  route: 'collect',
  statusCode: 200,
  requestId: 'r',
  appId: 'a',
  eventsAccepted: 10,
  eventsQuarantined: 1,
  eventsToFallback: 0,
  streamRetries: 0,
  bytesIn: 2_000,
  errorCode: null,
  firstReason: null,
};

describe('OutcomeMetrics', () => {
  it('sums requests within the flush interval into one document', () => {
    let clock = 0;
    const { publisher, published } = recorder();
    const metrics = new OutcomeMetrics(publisher, 60_000, () => clock);
    for (let request = 0; request < 5; request += 1) metrics.record(accepted);
    expect(published).toHaveLength(0);
    clock = 60_000;
    metrics.record(accepted);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      Requests2xx: 6,
      EventsAccepted: 60,
      EventsQuarantined: 6,
      BytesIn: 12_000,
    });
  });

  it('publishes at once when a request got a 5xx, so alarms fire without waiting', () => {
    const { publisher, published } = recorder();
    const metrics = new OutcomeMetrics(publisher, 60_000, () => 0);
    metrics.record(accepted);
    metrics.record({ ...accepted, statusCode: 503, eventsAccepted: 0, errorCode: 'sink_unavailable' });
    expect(published).toEqual([expect.objectContaining({ Requests2xx: 1, Requests5xx: 1, SinkFailures: 1 })]);
  });

  it('publishes at once when records went to the fallback', () => {
    const { publisher, published } = recorder();
    const metrics = new OutcomeMetrics(publisher, 60_000, () => 0);
    metrics.record({ ...accepted, eventsToFallback: 10, streamRetries: 3 });
    expect(published).toEqual([
      expect.objectContaining({ FallbackWrites: 1, EventsToFallback: 10, KinesisRetries: 3 }),
    ]);
  });

  it('counts validation calls apart from collected traffic', () => {
    const { publisher, published } = recorder();
    const metrics = new OutcomeMetrics(publisher, 0, () => 0);
    metrics.record({ ...accepted, route: 'validate', eventsAccepted: 0 });
    expect(published).toEqual([expect.objectContaining({ ValidationRequests: 1, EventsAccepted: 0 })]);
  });

  it('publishes every request with a zero interval', () => {
    const { publisher, published } = recorder();
    const metrics = new OutcomeMetrics(publisher, 0, () => 0);
    metrics.record(accepted);
    metrics.record(accepted);
    expect(published).toHaveLength(2);
  });
});
