/**
 * AWS list prices for us-east-1 (no free tier, savings plans or data transfer), recorded 2026-11-28
 * from the pricing pages as last seen (2025) and re-checked against stored copies of them (Kinesis
 * on-demand rounds each record's Data-In up to 1 KB). Added 2026-12-02: Lambda's x86 price, from
 * stored copies of its pricing page, and INIT billing (like duration, since 2025-08-01). Check them
 * against the pricing pages before quoting a result.
 */

export const PRICES_NOTE =
  'AWS list prices, us-east-1, recorded 2026-11-28; x86 and INIT billing added 2026-12-02';

/** Up to `upTo` units a month (cumulative) at `price` each; the last tier has no bound. */
export type PriceTier = { readonly upTo: number; readonly price: number };

export const PRICES = {
  lambda: {
    /** Per GB-second of duration or INIT (first tier). */
    gbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 },
    perMillionRequests: 0.2,
    /** A function has one full vCPU at this memory size, a proportional share below. */
    fullVcpuMemoryMb: 1769,
  },
  /** Per request, in 512 KB increments. (Function URLs cost nothing beyond the invocation.) */
  httpApiTiers: [
    { upTo: 300e6, price: 1.0 / 1e6 },
    { upTo: Number.POSITIVE_INFINITY, price: 0.9 / 1e6 },
  ] as readonly PriceTier[],
  kinesisOnDemand: { perStreamHour: 0.04, ingestPerGb: 0.08, retrievalPerGb: 0.04, roundingBytes: 1024 },
  /** A PUT payload unit covers 25 KB of one record; a shard takes 1 MiB/s and 1,000 records/s. */
  kinesisProvisioned: {
    perShardHour: 0.015,
    perMillionPutUnits: 0.014,
    putUnitBytes: 25 * 1024,
    shardBytesPerSecond: 1024 * 1024,
    shardRecordsPerSecond: 1000,
  },
  s3: { standardGbMonth: 0.023, perThousandPuts: 0.005 },
  /** Lambda's (vended) logs, first tier; each log event carries ~26 B of billed metadata. */
  logs: { perGb: 0.5, perEventBytes: 26 },
} as const;

/**
 * CAoA's published monthly cost of its ingestion module (ALB, Fargate, Kinesis, S3) for 2 KB
 * requests of 10 events: the Fargate table of its documentation's cost page (plan-deployment/cost).
 */
export const CAOA_COST = {
  'on-demand': { 10: 87.8, 100: 190.8, 1000: 1399.8 },
  provisioned: { 10: 71.8, 100: 101.8, 1000: 528.8 },
} as const;

export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
export const GB = 1024 ** 3;
