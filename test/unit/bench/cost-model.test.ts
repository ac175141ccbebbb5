import { describe, expect, it } from 'vitest';
import {
  ASSUMED,
  billedMs,
  configurations,
  estimate,
  recordsPerBatch,
  type Setup,
  shardsFor,
  tieredCost,
  type Workload,
} from '../../../scripts/bench/cost-model';
import { GB, SECONDS_PER_MONTH } from '../../../scripts/bench/prices';

/** A workload whose figures make the expected dollars easy to work out by hand. */
const workload = (overrides: Partial<Workload> = {}): Workload => ({
  ...ASSUMED,
  requestBodyBytes: 2048,
  recordBytes: 3000,
  collectorCpuMs: 0.1,
  coldStartCpuMs: 100,
  archiveBytes: 300,
  tableBytes: 500,
  consumer: { ...ASSUMED.consumer, cpuMsPerRecord: 0.2 },
  ...overrides,
});
const setup = (overrides: Partial<Setup> = {}): Setup => ({
  endpoint: 'function-url',
  streamMode: 'provisioned',
  memoryMb: 512,
  arch: 'arm64',
  managedCors: true,
  ...overrides,
});
const REQUESTS_AT_100 = 100 * SECONDS_PER_MONTH; // 262.8 million a month
const ARM = 0.0000133334;

describe('cost model arithmetic', () => {
  it('prices volume tiers cumulatively', () => {
    const tiers = [
      { upTo: 10, price: 1 },
      { upTo: 30, price: 0.5 },
      { upTo: Number.POSITIVE_INFINITY, price: 0.1 },
    ];
    expect(tieredCost(5, tiers)).toBe(5);
    expect(tieredCost(20, tiers)).toBe(15);
    expect(tieredCost(130, tiers)).toBeCloseTo(30, 10);
    expect(tieredCost(0, tiers)).toBe(0);
  });

  it('stretches CPU time below a full vCPU, not the wait, and bills whole milliseconds', () => {
    // 512 MB has 512/1769 of a vCPU: 0.1 ms of CPU takes 0.35 ms, plus the 10 ms wait → 11 ms.
    expect(billedMs(0.1, 10, 512)).toBe(11);
    expect(billedMs(100, 0, 128)).toBe(1383);
    expect(billedMs(0.5, 0, 1769)).toBe(1);
    expect(billedMs(0.5, 0, 3538)).toBe(1);
  });

  it('sizes a provisioned stream by its busier dimension, with headroom', () => {
    expect(shardsFor(100, 3000, 0.8)).toBe(1);
    expect(shardsFor(1000, 100, 0.8)).toBe(2); // 1,000 records/s at 80 % of 1,000 per shard
    expect(shardsFor(1000, 3000, 0.8)).toBe(4); // 3 MB/s at 80 % of 1 MiB/s
  });

  it('fills a consumer batch up to the window, the batch size or the 6 MB payload, whichever comes first', () => {
    expect(recordsPerBatch(10, workload())).toBe(600); // a 60 s window at 10 records/s
    // 3,000 B of data arrive as 4,000 B of base64 plus 250 B of metadata: 6 MiB holds 1,480.
    expect(recordsPerBatch(1000, workload())).toBe(1480);
    const small = workload({ consumer: { ...workload().consumer, batchSize: 500 } });
    expect(recordsPerBatch(1000, small)).toBe(500);
  });
});

describe('monthly cost of one configuration', () => {
  const at100 = estimate(100, setup(), workload());

  it('bills every request to Lambda, and duration in GB-seconds at the arm64 price', () => {
    expect(at100.items.lambdaRequests).toBeCloseTo(52.56, 6);
    expect(at100.billedMs).toBe(11);
    expect(at100.items.lambdaDuration).toBeCloseTo(REQUESTS_AT_100 * 0.011 * 0.5 * ARM, 6);
  });

  it('bills one cold start per instance and lifetime, at the stretched cold-start CPU time', () => {
    expect(at100.instances).toBe(2); // 100 requests/s × 11 ms
    const coldStarts = (2 * 730) / 6;
    expect(at100.items.coldStarts).toBeCloseTo(coldStarts * 0.346 * 0.5 * ARM, 10);
  });

  it('prices a provisioned stream per shard-hour and 25 KB PUT unit', () => {
    expect(at100.shards).toBe(1);
    expect(at100.items.stream).toBeCloseTo(730 * 0.015 + 262.8 * 0.014, 6);
  });

  it('prices an on-demand stream per stream-hour and per GB in and out, records rounded up to 1 KB', () => {
    const onDemand = estimate(100, setup({ streamMode: 'on-demand' }), workload());
    const gb = (REQUESTS_AT_100 * 3 * 1024) / GB;
    expect(onDemand.items.stream).toBeCloseTo(730 * 0.04 + gb * 0.12, 6);
    expect(onDemand.shards).toBe(4); // an on-demand stream's starting capacity
  });

  it('runs the consumer once per batch, and writes its objects and a month of gzip data to S3', () => {
    const invocations = REQUESTS_AT_100 / 1480;
    expect(at100.consumerInvocations).toBeCloseTo(invocations, 6);
    // 1,480 records × 0.2 ms stretched to 512 MB, plus 100 ms of waiting on S3: 1,123 ms.
    const consumer = invocations * 0.2e-6 + invocations * 1.123 * 0.5 * ARM;
    expect(at100.items.consumer).toBeCloseTo(consumer, 6);
    const storage = ((REQUESTS_AT_100 * 800) / GB) * 0.023;
    expect(at100.items.s3).toBeCloseTo(((invocations * 5) / 1000) * 0.005 + storage, 6);
  });

  it('bills one metrics line per instance a minute to CloudWatch Logs', () => {
    expect(at100.items.logs).toBeCloseTo(((2 * 60 * 730 * (700 + 26)) / GB) * 0.5, 10);
  });

  it('adds the items up, and sets the floor at the Lambda requests plus the stream', () => {
    const sum = Object.values(at100.items).reduce((total, value) => total + value, 0);
    expect(at100.total).toBeCloseTo(sum, 10);
    expect(at100.floor).toBeCloseTo(at100.items.lambdaRequests + at100.items.stream, 10);
  });

  it('prices a function URL at nothing beyond the invocation, an HTTP API per request', () => {
    expect(at100.items.endpoint).toBe(0);
    expect(estimate(100, setup({ endpoint: 'http-api' }), workload()).items.endpoint).toBeCloseTo(262.8, 6);
    const large = workload({ requestBodyBytes: 600 * 1024 }); // two 512 KB increments each
    expect(estimate(100, setup({ endpoint: 'http-api' }), large).items.endpoint).toBeCloseTo(
      300 + 225.6 * 0.9,
      6,
    );
  });

  it('charges 25 % more for duration on x86_64', () => {
    const x86 = estimate(100, setup({ arch: 'x86_64' }), workload());
    expect(x86.items.lambdaDuration / at100.items.lambdaDuration).toBeCloseTo(1.25, 4);
  });
});

describe('preflights', () => {
  const web = workload({ preflightShare: 1 });

  it('double the invocations when they reach the function', () => {
    const invoked = estimate(100, setup({ managedCors: false }), web);
    expect(invoked.items.lambdaRequests).toBeCloseTo(2 * 52.56, 6);
  });

  it('cost the function nothing when the function URL answers them', () => {
    expect(estimate(100, setup(), web).items.lambdaRequests).toBeCloseTo(52.56, 6);
  });

  it('are still metered by an HTTP API that answers them, past its first 300 million requests at the lower tier', () => {
    const api = estimate(100, setup({ endpoint: 'http-api' }), web);
    expect(api.items.lambdaRequests).toBeCloseTo(52.56, 6);
    expect(api.items.endpoint).toBeCloseTo(300 + (525.6 - 300) * 0.9, 6);
  });
});

describe('configurations', () => {
  it('covers every endpoint and stream mode, cheapest first', () => {
    const all = configurations(100, { memoryMb: 512, arch: 'arm64', managedCors: true }, workload());
    expect(all).toHaveLength(4);
    expect(all.map((e) => e.total)).toEqual([...all.map((e) => e.total)].sort((a, b) => a - b));
    expect(all[0]?.setup).toMatchObject({ endpoint: 'function-url', streamMode: 'provisioned' });
  });
});
