import type { ObjectStore, StreamSink } from './ports';

export interface SinkHealth {
  /** `ok`: both sinks work; `degraded`: data is still accepted through one; `unavailable`: it is not. */
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly stream: 'ok' | 'failing';
  readonly bucket: 'ok' | 'failing';
  readonly checkedAt: number;
}

/**
 * The deep health check asks AWS, which costs time and money: answers are cached for `ttlMs` per
 * container, and concurrent checks share one probe.
 */
export function createSinkHealth(stream: StreamSink, objects: ObjectStore, ttlMs: number, now: () => number) {
  let cached: SinkHealth | undefined;
  let probing: Promise<SinkHealth> | undefined;

  async function probe(): Promise<SinkHealth> {
    const [streamOk, bucketOk] = await Promise.all([stream.check(), objects.check()]);
    const status = streamOk && bucketOk ? 'ok' : streamOk || bucketOk ? 'degraded' : 'unavailable';
    return {
      status,
      stream: streamOk ? 'ok' : 'failing',
      bucket: bucketOk ? 'ok' : 'failing',
      checkedAt: now(),
    };
  }

  return async function sinkHealth(): Promise<SinkHealth> {
    if (cached !== undefined && now() - cached.checkedAt < ttlMs) return cached;
    probing ??= probe().finally(() => {
      probing = undefined;
    });
    cached = await probing;
    return cached;
  };
}
