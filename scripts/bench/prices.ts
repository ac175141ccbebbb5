/**
 * Price inputs of the cost model, in one place so they can be checked and updated together.
 *
 * These are AWS LIST prices for us-east-1 as known to the author (no free tier, no savings plans,
 * no private pricing). They were written down on PRICES_RECORDED_ON from the public price pages as
 * last seen (2025); AWS changes prices, so treat every figure below as an input to check against
 * the price pages before quoting a result.
 *
 * Re-checked 2026-11-28 against the stored public pages the benchmark's search tool offers (the
 * two inputs the first run was least sure of):
 * - Kinesis on-demand, 1 KB rounding: CONFIRMED. The Kinesis Data Streams pricing page
 *   (aws.amazon.com/kinesis/data-streams/pricing/) bills on-demand Data-In per GB as the number of
 *   records × each record's size rounded up to the nearest 1 KB (1,024 bytes). The same page now
 *   also lists an "On-Demand Advantage" mode, not modelled here.
 * - Firehose, 5 KB rounding per record: CONFIRMED for ingestion in general (the Firehose pricing
 *   FAQ, as quoted in a secondary source: ingestion billed per GB in 5 KB increments, per record
 *   rather than per API call — a 3 KB record bills as 5 KB). Whether it also applies when the
 *   source is a Kinesis data stream (this stack) was NOT found in the stored pages: kept, as the
 *   conservative reading. If a stream source were billed by actual bytes, Firehose would cost
 *   ~57 % of the figure modelled for ~2.9 KB records (BENCHMARKS.md shows the effect).
 */

export const PRICES_RECORDED_ON = '2026-11-28';
export const PRICES_REGION = 'us-east-1';
export const PRICES_NOTE =
  'AWS list prices, us-east-1, as last seen on the public price pages (2025); recorded 2026-11-28. ' +
  'Inputs to check before quoting: no free tier, no savings plans, no data transfer.';

/** A volume tier: `upTo` units (cumulative, per month) at `price` per unit; the last tier has no bound. */
export interface PriceTier {
  readonly upTo: number;
  readonly price: number;
}

export interface Prices {
  readonly lambda: {
    /** Arm64, per GB-second (first tier, 0–7.5 billion GB-s a month). */
    readonly armGbSecond: number;
    readonly perMillionRequests: number;
    /** Memory at which a function gets one full vCPU; CPU share scales linearly below it. */
    readonly fullVcpuMemoryMb: number;
  };
  /** Function URLs: no charge beyond the Lambda invocation. */
  readonly functionUrl: { readonly perMillionRequests: number };
  readonly httpApi: {
    /** Per million requests, tiered by monthly volume (in requests). */
    readonly tiers: readonly PriceTier[];
    /** Requests are metered in increments of this many bytes. */
    readonly meteringIncrementBytes: number;
  };
  readonly alb: {
    readonly perHour: number;
    readonly perLcuHour: number;
    /** One LCU covers this many of each dimension; the busiest dimension is billed. */
    readonly lcu: {
      readonly newConnectionsPerSecond: number;
      readonly activeConnectionsPerMinute: number;
      /** For Lambda targets (EC2/IP targets get 1 GB). */
      readonly processedGbPerHourLambda: number;
      readonly ruleEvaluationsPerSecond: number;
    };
  };
  readonly kinesisOnDemand: {
    readonly perStreamHour: number;
    readonly ingestPerGb: number;
    readonly retrievalPerGb: number;
    /**
     * Each record's payload is rounded up to this many bytes (1 KB: confirmed on the Kinesis pricing
     * page for Data-In; applied to retrieval too, the conservative reading).
     */
    readonly recordRoundingBytes: number;
  };
  readonly kinesisProvisioned: {
    readonly perShardHour: number;
    readonly perMillionPutPayloadUnits: number;
    /** A PUT payload unit covers this many bytes of one record (each record rounds up). */
    readonly putPayloadUnitBytes: number;
    /** Ingress capacity of one shard. */
    readonly shardBytesPerSecond: number;
    readonly shardRecordsPerSecond: number;
  };
  readonly firehose: {
    /** Ingestion per GB (first 500 TB a month), Kinesis Data Streams or Direct PUT source. */
    readonly ingestPerGb: number;
    /**
     * Each record is rounded up to this many bytes (5 KB: confirmed for Firehose ingestion; for a
     * Kinesis Data Streams source not confirmed by the stored pages, kept as the conservative case).
     */
    readonly recordRoundingBytes: number;
  };
  readonly s3: {
    readonly standardGbMonth: number;
    readonly perThousandPuts: number;
  };
  readonly cloudWatchLogs: {
    /** Lambda logs are billed as vended logs, tiered by monthly volume (in GB). */
    readonly ingestTiersPerGb: readonly PriceTier[];
    /** Metadata bytes counted per log event on top of its message (assumed billed: conservative). */
    readonly perEventOverheadBytes: number;
  };
}

const TB = 1024;

export const PRICES: Prices = {
  lambda: { armGbSecond: 0.0000133334, perMillionRequests: 0.2, fullVcpuMemoryMb: 1769 },
  functionUrl: { perMillionRequests: 0 },
  httpApi: {
    tiers: [
      { upTo: 300_000_000, price: 1.0 },
      { upTo: Number.POSITIVE_INFINITY, price: 0.9 },
    ],
    meteringIncrementBytes: 512 * 1024,
  },
  alb: {
    perHour: 0.0225,
    perLcuHour: 0.008,
    lcu: {
      newConnectionsPerSecond: 25,
      activeConnectionsPerMinute: 3000,
      processedGbPerHourLambda: 0.4,
      ruleEvaluationsPerSecond: 1000,
    },
  },
  kinesisOnDemand: {
    perStreamHour: 0.04,
    ingestPerGb: 0.08,
    retrievalPerGb: 0.04,
    recordRoundingBytes: 1024,
  },
  kinesisProvisioned: {
    perShardHour: 0.015,
    perMillionPutPayloadUnits: 0.014,
    putPayloadUnitBytes: 25 * 1024,
    shardBytesPerSecond: 1024 * 1024,
    shardRecordsPerSecond: 1000,
  },
  firehose: { ingestPerGb: 0.029, recordRoundingBytes: 5 * 1024 },
  s3: { standardGbMonth: 0.023, perThousandPuts: 0.005 },
  cloudWatchLogs: {
    ingestTiersPerGb: [
      { upTo: 10 * TB, price: 0.5 },
      { upTo: 30 * TB, price: 0.25 },
      { upTo: 50 * TB, price: 0.1 },
      { upTo: Number.POSITIVE_INFINITY, price: 0.05 },
    ],
    perEventOverheadBytes: 26,
  },
};

/**
 * The original solution's (Clickstream Analytics on AWS, ingestion server on ECS behind an ALB)
 * published monthly cost for 2 KB requests of 10 events, by stream mode and requests/s.
 */
export const ORIGINAL_SOLUTION_COST: Readonly<
  Record<'on-demand' | 'provisioned', Readonly<Record<10 | 100 | 1000, number>>>
> = {
  'on-demand': { 10: 87.8, 100: 190.8, 1000: 1399.8 },
  provisioned: { 10: 71.8, 100: 101.8, 1000: 528.8 },
};

/** Hours in the month the cost model uses (AWS's own convention: 730). */
export const HOURS_PER_MONTH = 730;
