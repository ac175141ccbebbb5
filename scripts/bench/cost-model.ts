import { GB, HOURS_PER_MONTH, PRICES, type PriceTier, SECONDS_PER_MONTH } from './prices';

/**
 * Monthly cost under a steady load: the collector behind its endpoint, the stream, and the archive
 * consumer (a function on the stream's event source mapping writing gzip objects per batch: the
 * raw archive and the event tables). Pure arithmetic; test/unit/bench/cost-model.test.ts checks it.
 */

type StreamMode = 'on-demand' | 'provisioned';

/** A deployment choice; `managedCors`: the endpoint answers preflights. (ALBs: not modelled, see README.) */
export interface Setup {
  readonly endpoint: 'function-url' | 'http-api';
  readonly streamMode: StreamMode;
  readonly memoryMb: number;
  readonly arch: keyof typeof PRICES.lambda.gbSecond;
  readonly managedCors: boolean;
}

/** What the model assumes rather than measures (the report prints each). */
export const ASSUMED = {
  /** The PutRecords round trip the function waits for (only AWS can measure it). */
  putRecordsWaitMs: 10,
  /** Lifetime of an instance: one cold start each. */
  instanceHours: 6,
  /** Share of requests a browser precedes with a preflight (mobile SDKs send none), and one's billed ms. */
  preflightShare: 0,
  preflightMs: 1,
  /** The archive consumer: S3 wait per batch (PUTs in parallel), memory, batching, objects per batch. */
  consumer: { waitMs: 100, memoryMb: 512, batchWindowSeconds: 60, batchSize: 10_000, objectsPerBatch: 5 },
  /** A collector instance's metrics document a minute, and a provisioned stream's headroom. */
  metricsLineBytes: 700,
  shardUtilisation: 0.8,
};

/** One request and what it costs downstream: the assumptions and what the benchmark measured. */
export interface Workload extends Readonly<typeof ASSUMED> {
  readonly requestBodyBytes: number;
  readonly recordBytes: number;
  /** CPU ms on a full core: a warm request, and a cold start (import + first request). */
  readonly collectorCpuMs: number;
  readonly coldStartCpuMs: number;
  /** Gzip bytes each request adds to S3: raw archive, and table rows. */
  readonly archiveBytes: number;
  readonly tableBytes: number;
  readonly consumer: (typeof ASSUMED)['consumer'] & { readonly cpuMsPerRecord: number };
}

/** The event source mapping hands a function ≤ 6 MB, record data base64 in JSON. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const RECORD_METADATA_BYTES = 250;
/** An on-demand stream starts with 4 shards' worth of capacity (4 MB/s, 4,000 records/s). */
const ON_DEMAND_SHARDS = 4;

/** Cost of `quantity` units over cumulative volume tiers. */
export const tieredCost = (quantity: number, tiers: readonly PriceTier[]) =>
  tiers.reduce((cost, tier, index) => {
    const inTier = Math.min(quantity, tier.upTo) - (tiers[index - 1]?.upTo ?? 0);
    return cost + Math.max(0, inTier) * tier.price;
  }, 0);

const units = (bytes: number, unit: number) => Math.max(1, Math.ceil(bytes / unit));

/** CPU time stretches below a full vCPU, waiting does not; Lambda bills whole milliseconds. */
export function billedMs(cpuMs: number, waitMs: number, memoryMb: number): number {
  return Math.max(1, Math.ceil(cpuMs * Math.max(1, PRICES.lambda.fullVcpuMemoryMb / memoryMb) + waitMs));
}

export function shardsFor(rate: number, recordBytes: number, utilisation: number): number {
  const p = PRICES.kinesisProvisioned;
  const byBytes = (rate * recordBytes) / (p.shardBytesPerSecond * utilisation);
  return Math.max(1, Math.ceil(byBytes), Math.ceil(rate / (p.shardRecordsPerSecond * utilisation)));
}

/** Records per consumer invocation: the batch size, the payload limit or a batch window's worth. */
export function recordsPerBatch(recordsPerShardPerSecond: number, w: Workload): number {
  const byPayload = Math.floor(MAX_PAYLOAD_BYTES / ((w.recordBytes * 4) / 3 + RECORD_METADATA_BYTES));
  const byWindow = recordsPerShardPerSecond * w.consumer.batchWindowSeconds;
  return Math.max(1, Math.min(w.consumer.batchSize, byPayload, byWindow));
}

export function estimate(rate: number, setup: Setup, w: Workload) {
  const gbSecond = PRICES.lambda.gbSecond[setup.arch];
  const perRequest = PRICES.lambda.perMillionRequests / 1e6;
  const requests = rate * SECONDS_PER_MONTH;
  const preflights = setup.managedCors ? 0 : requests * w.preflightShare;
  const ms = billedMs(w.collectorCpuMs, w.putRecordsWaitMs, setup.memoryMb);
  const instances = Math.max(1, Math.ceil((rate * ms) / 1000));
  const coldStarts = (instances * HOURS_PER_MONTH) / w.instanceHours;
  const gbSeconds = (count: number, millis: number, memoryMb: number) => (count * millis * memoryMb) / 1024e3;

  const provisioned = shardsFor(rate, w.recordBytes, w.shardUtilisation);
  const shards = setup.streamMode === 'provisioned' ? provisioned : Math.max(ON_DEMAND_SHARDS, provisioned);
  const batch = recordsPerBatch(rate / shards, w);
  const consumerInvocations = requests / batch;
  const consumerMs = billedMs(batch * w.consumer.cpuMsPerRecord, w.consumer.waitMs, w.consumer.memoryMb);

  let stream: number;
  if (setup.streamMode === 'on-demand') {
    const p = PRICES.kinesisOnDemand;
    const gb = (requests * units(w.recordBytes, p.roundingBytes) * p.roundingBytes) / GB;
    stream = HOURS_PER_MONTH * p.perStreamHour + gb * (p.ingestPerGb + p.retrievalPerGb);
  } else {
    const p = PRICES.kinesisProvisioned;
    const putUnits = requests * units(w.recordBytes, p.putUnitBytes);
    stream = HOURS_PER_MONTH * shards * p.perShardHour + (putUnits / 1e6) * p.perMillionPutUnits;
  }
  // API Gateway meters the preflights it answers, in 512 KB increments of each request.
  const apiRequests = requests * (1 + w.preflightShare) * units(w.requestBodyBytes, 512 * 1024);
  const endpoint = setup.endpoint === 'http-api' ? tieredCost(apiRequests, PRICES.httpApiTiers) : 0;
  const memory = setup.memoryMb;
  const collectorGbSeconds = gbSeconds(requests, ms, memory) + gbSeconds(preflights, w.preflightMs, memory);
  const initGbSeconds = gbSeconds(coldStarts, billedMs(w.coldStartCpuMs, 0, memory), memory);
  const consumerGbSeconds = gbSeconds(consumerInvocations, consumerMs, w.consumer.memoryMb);
  const puts = (consumerInvocations * w.consumer.objectsPerBatch) / 1000;
  const storedGb = (requests * (w.archiveBytes + w.tableBytes)) / GB;
  const logGb = (instances * 60 * HOURS_PER_MONTH * (w.metricsLineBytes + PRICES.logs.perEventBytes)) / GB;
  const items = {
    lambdaRequests: (requests + preflights) * perRequest,
    lambdaDuration: collectorGbSeconds * gbSecond,
    coldStarts: initGbSeconds * gbSecond,
    endpoint,
    stream,
    consumer: consumerInvocations * perRequest + consumerGbSeconds * gbSecond,
    s3: puts * PRICES.s3.perThousandPuts + storedGb * PRICES.s3.standardGbMonth,
    logs: logGb * PRICES.logs.perGb,
  };
  const total = Object.values(items).reduce((sum, value) => sum + value, 0);
  const floor = requests * perRequest + stream;
  return { rate, setup, items, total, floor, shards, billedMs: ms, instances, consumerInvocations };
}

export type Estimate = ReturnType<typeof estimate>;

/** Every endpoint and stream mode at one memory size, architecture and CORS choice, cheapest first. */
export function configurations(rate: number, base: Omit<Setup, 'endpoint' | 'streamMode'>, w: Workload) {
  const modes = ['on-demand', 'provisioned'] as const;
  const setups = (['function-url', 'http-api'] as const).flatMap((endpoint) =>
    modes.map((streamMode) => ({ ...base, endpoint, streamMode })),
  );
  return setups.map((setup) => estimate(rate, setup, w)).sort((a, b) => a.total - b.total);
}
