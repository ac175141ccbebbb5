import { describe, expect, it } from 'vitest';
import {
  albLcus,
  billedDurationMs,
  type CostMeasurements,
  concurrentInstances,
  DEFAULT_ASSUMPTIONS,
  estimateMonthlyCost,
  GB,
  platformLinesLogged,
  provisionedShards,
  roundedUnits,
  SECONDS_PER_MONTH,
  tieredCost,
  type Workload,
  workloadFor,
} from '../../../scripts/bench/cost-model';
import { PRICES, type Prices } from '../../../scripts/bench/prices';

/** A workload whose numbers make the expected dollars easy to work out by hand. */
const workload = (overrides: Partial<Workload> = {}): Workload => ({
  requestsPerSecond: 100,
  requestBodyBytes: 2048,
  requestHeaderBytes: 600,
  responseBytes: 250,
  recordBytes: 3000,
  archivedBytesPerRecord: 300,
  billedMsPerRequest: 10,
  memoryMb: 512,
  logBytesPerRequest: 600,
  logEventsPerRequest: 4,
  concurrentInstances: 1,
  instanceLogLineBytes: 400,
  instanceLogLinesPerHour: 0,
  newConnectionsPerRequest: 1,
  connectionSeconds: 5,
  firehoseBufferSeconds: 300,
  firehoseBufferBytes: 64 * 1024 * 1024,
  shardUtilisation: 0.8,
  ...overrides,
});

const REQUESTS_AT_100 = 100 * SECONDS_PER_MONTH; // 262.8 million

describe('cost model arithmetic', () => {
  it('counts a 730-hour month', () => {
    expect(SECONDS_PER_MONTH).toBe(2_628_000);
  });

  it('rounds every record up to whole units, at least one', () => {
    expect(roundedUnits(1, 25 * 1024)).toBe(1);
    expect(roundedUnits(25 * 1024, 25 * 1024)).toBe(1);
    expect(roundedUnits(25 * 1024 + 1, 25 * 1024)).toBe(2);
    expect(roundedUnits(3000, 1024)).toBe(3);
    expect(roundedUnits(0, 5 * 1024)).toBe(1);
  });

  it('prices volume tiers cumulatively', () => {
    const tiers = [
      { upTo: 10, price: 1 },
      { upTo: 30, price: 0.5 },
      { upTo: Number.POSITIVE_INFINITY, price: 0.1 },
    ];
    expect(tieredCost(5, tiers)).toBe(5);
    expect(tieredCost(10, tiers)).toBe(10);
    expect(tieredCost(20, tiers)).toBe(15);
    expect(tieredCost(130, tiers)).toBeCloseTo(10 + 10 + 10, 10);
    expect(tieredCost(0, tiers)).toBe(0);
  });

  it('scales measured CPU time to the memory size and bills whole milliseconds', () => {
    // 512 MB gets 512/1769 of a vCPU: 0.1 ms of CPU takes 0.345 ms, plus the 10 ms wait → 11 ms.
    expect(billedDurationMs(0.1, 10, 512, PRICES)).toBe(11);
    // At or above a full vCPU there is no slow-down (the handler is single-threaded).
    expect(billedDurationMs(0.5, 0, 1769, PRICES)).toBe(1);
    expect(billedDurationMs(0.5, 0, 3538, PRICES)).toBe(1);
    expect(billedDurationMs(0, 0, 512, PRICES)).toBe(1);
  });

  it('sizes a provisioned stream by its busiest dimension, with headroom', () => {
    // 100 req/s of 3 KB: far below one shard.
    expect(provisionedShards(100, 300_000, 0.8, PRICES)).toBe(1);
    // 1,000 records/s at 80 % utilisation needs 2 shards by count…
    expect(provisionedShards(1000, 100_000, 0.8, PRICES)).toBe(2);
    // …and 3 MB/s needs 4 by bytes (3e6 / (1,048,576 × 0.8) = 3.58).
    expect(provisionedShards(1000, 3_000_000, 0.8, PRICES)).toBe(4);
    expect(provisionedShards(1000, 1_048_576, 1, PRICES)).toBe(1);
  });

  it('bills the busiest ALB dimension', () => {
    // 100 new connections/s at 25 per LCU = 4 LCU; bytes: 100 × 2898 B × 3600 / GB / 0.4 = 2.43 LCU.
    expect(albLcus(workload(), PRICES)).toBeCloseTo(4, 10);
    const reused = albLcus(workload({ newConnectionsPerRequest: 0 }), PRICES);
    expect(reused).toBeCloseTo((100 * 3600 * 2898) / GB / 0.4, 10);
  });
});

describe('monthly cost of one configuration', () => {
  it('prices Lambda requests and GB-seconds', () => {
    const estimate = estimateMonthlyCost('function-url', 'on-demand', workload(), PRICES);
    expect(estimate.items.lambdaRequests).toBeCloseTo((REQUESTS_AT_100 / 1e6) * 0.2, 6); // $52.56
    // 262.8 M × 0.01 s × 0.5 GB × $0.0000133334
    expect(estimate.items.lambdaDuration).toBeCloseTo(REQUESTS_AT_100 * 0.005 * 0.0000133334, 6);
    expect(estimate.items.endpoint).toBe(0);
  });

  it('prices HTTP API requests per million, in 512 KB increments', () => {
    const estimate = estimateMonthlyCost('http-api', 'on-demand', workload(), PRICES);
    expect(estimate.items.endpoint).toBeCloseTo(262.8, 6);
    const big = estimateMonthlyCost(
      'http-api',
      'on-demand',
      workload({ requestBodyBytes: 600 * 1024 }),
      PRICES,
    );
    // Two increments each: 525.6 M metered requests, the part past 300 M at the lower tier.
    expect(big.items.endpoint).toBeCloseTo(300 + (2 * 262.8 - 300) * 0.9, 6);
    // Past 300 million requests a month the next tier applies: 1,000 req/s = 2,628 M requests.
    const busy = estimateMonthlyCost('http-api', 'on-demand', workload({ requestsPerSecond: 1000 }), PRICES);
    expect(busy.items.endpoint).toBeCloseTo(300 + 2328 * 0.9, 6);
  });

  it('prices an ALB by the hour plus LCU-hours', () => {
    const estimate = estimateMonthlyCost('alb', 'on-demand', workload(), PRICES);
    expect(estimate.items.endpoint).toBeCloseTo(730 * (0.0225 + 4 * 0.008), 6); // $39.79
  });

  it('prices on-demand Kinesis per stream-hour and per GB in and out, records rounded to 1 KB', () => {
    const estimate = estimateMonthlyCost('function-url', 'on-demand', workload(), PRICES);
    const gb = (REQUESTS_AT_100 * 3 * 1024) / GB; // 3,000 B bills as 3 KB
    expect(estimate.items.kinesis).toBeCloseTo(730 * 0.04 + gb * 0.08 + gb * 0.04, 6);
    expect(estimate.shards).toBeNull();
  });

  it('prices provisioned Kinesis per shard-hour and 25 KB PUT payload unit', () => {
    const estimate = estimateMonthlyCost('function-url', 'provisioned', workload(), PRICES);
    expect(estimate.shards).toBe(1);
    expect(estimate.items.kinesis).toBeCloseTo(730 * 0.015 + (REQUESTS_AT_100 / 1e6) * 0.014, 6); // $14.63
    // A 30 KB record takes two payload units.
    const large = estimateMonthlyCost(
      'function-url',
      'provisioned',
      workload({ recordBytes: 30 * 1024 }),
      PRICES,
    );
    expect(large.shards).toBe(4); // 3 MB/s at 80 % of 1 MiB/s per shard
    expect(large.items.kinesis).toBeCloseTo(730 * 4 * 0.015 + ((2 * REQUESTS_AT_100) / 1e6) * 0.014, 6);
  });

  it('prices Firehose with every record rounded up to 5 KB', () => {
    const estimate = estimateMonthlyCost('function-url', 'on-demand', workload(), PRICES);
    expect(estimate.items.firehose).toBeCloseTo(((REQUESTS_AT_100 * 5 * 1024) / GB) * 0.029, 6); // $36.14
  });

  it('prices a month of archive in S3 and one object per buffer flush', () => {
    const estimate = estimateMonthlyCost('function-url', 'on-demand', workload(), PRICES);
    const storage = ((REQUESTS_AT_100 * 300) / GB) * 0.023;
    // 262.8 M × 3,000 B = 788 GB raw = 11,747 flushes by size, more than the 8,760 by time.
    const objects = (REQUESTS_AT_100 * 3000) / (64 * 1024 * 1024);
    expect(estimate.items.s3).toBeCloseTo(storage + (objects / 1000) * 0.005, 6);
  });

  it('prices log ingestion with the per-event overhead, in volume tiers', () => {
    const estimate = estimateMonthlyCost('function-url', 'on-demand', workload(), PRICES);
    const gb = (REQUESTS_AT_100 * (600 + 4 * 26)) / GB;
    expect(estimate.items.logs).toBeCloseTo(gb * 0.5, 6);
    const cheap: Prices = {
      ...PRICES,
      cloudWatchLogs: {
        ...PRICES.cloudWatchLogs,
        ingestTiersPerGb: [{ upTo: Number.POSITIVE_INFINITY, price: 0 }],
      },
    };
    expect(estimateMonthlyCost('function-url', 'on-demand', workload(), cheap).items.logs).toBe(0);
  });

  it('bills one periodic line per instance on top of the per-request lines', () => {
    const quiet = workload({ logBytesPerRequest: 0, logEventsPerRequest: 0 });
    expect(estimateMonthlyCost('function-url', 'on-demand', quiet, PRICES).items.logs).toBe(0);
    // 3 instances × 60 lines an hour × 730 h × (400 B + 26 B overhead).
    const periodic = workload({
      logBytesPerRequest: 0,
      logEventsPerRequest: 0,
      concurrentInstances: 3,
      instanceLogLinesPerHour: 60,
    });
    const gb = (3 * 60 * 730 * (400 + 26)) / GB;
    expect(estimateMonthlyCost('function-url', 'on-demand', periodic, PRICES).items.logs).toBeCloseTo(
      gb * 0.5,
      10,
    );
  });

  it('adds the items up to the total', () => {
    const estimate = estimateMonthlyCost('alb', 'provisioned', workload(), PRICES);
    const sum = Object.values(estimate.items).reduce((total, value) => total + value, 0);
    expect(estimate.total).toBeCloseTo(sum, 10);
    expect(estimate.total).toBeGreaterThan(0);
  });
});

describe('workload from measurements', () => {
  const measured: CostMeasurements = {
    handlerCpuUs: 100,
    recordBytes: 3000,
    archiveGzipRatio: 0.1,
    functionLogBytes: 0,
    functionLogEvents: 0,
    metricsLineBytes: 400,
    metricsFlushSeconds: 60,
    memoryMb: 512,
    systemLogLevel: 'WARN',
  };

  it("drops the platform lines at system log level WARN and keeps them at Lambda's default", () => {
    expect(platformLinesLogged('WARN')).toBe(false);
    expect(platformLinesLogged('ERROR')).toBe(false);
    expect(platformLinesLogged('INFO')).toBe(true);
    expect(platformLinesLogged(null)).toBe(true);
    const quiet = workloadFor(100, measured, DEFAULT_ASSUMPTIONS, PRICES);
    expect(quiet.logBytesPerRequest).toBe(0);
    expect(quiet.logEventsPerRequest).toBe(0);
    const chatty = workloadFor(100, { ...measured, systemLogLevel: null }, DEFAULT_ASSUMPTIONS, PRICES);
    expect(chatty.logBytesPerRequest).toBe(DEFAULT_ASSUMPTIONS.platformLogBytes);
    expect(chatty.logEventsPerRequest).toBe(DEFAULT_ASSUMPTIONS.platformLogEvents);
  });

  it('counts instances as rate × billed duration, at least one, each writing a line a flush interval', () => {
    expect(concurrentInstances(10, 11, 1)).toBe(1);
    expect(concurrentInstances(100, 11, 1)).toBe(2);
    expect(concurrentInstances(1000, 11, 1)).toBe(11);
    const at1000 = workloadFor(1000, measured, DEFAULT_ASSUMPTIONS, PRICES);
    expect(at1000.billedMsPerRequest).toBe(11);
    expect(at1000.concurrentInstances).toBe(11);
    expect(at1000.instanceLogLinesPerHour).toBe(60);
    expect(at1000.instanceLogLineBytes).toBe(400);
    // Flushing at every request (interval 0) is per-request volume, measured as such: no periodic line.
    expect(
      workloadFor(1000, { ...measured, metricsFlushSeconds: 0 }, DEFAULT_ASSUMPTIONS, PRICES)
        .instanceLogLinesPerHour,
    ).toBe(0);
  });
});
