import { HOURS_PER_MONTH, type Prices, type PriceTier } from './prices';

/**
 * Monthly cost of the collector for a steady request rate: pure arithmetic over the price inputs
 * (prices.ts) and a workload measured by the benchmark. Unit-tested in
 * test/unit/bench/cost-model.test.ts so a change of formula shows up as a failing test.
 */

export type EndpointType = 'function-url' | 'http-api' | 'alb';
export type StreamMode = 'on-demand' | 'provisioned';

export const ENDPOINT_TYPES: readonly EndpointType[] = ['function-url', 'http-api', 'alb'];
export const STREAM_MODES: readonly StreamMode[] = ['on-demand', 'provisioned'];

export const GB = 1024 ** 3;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** One request of the workload and what it turns into downstream (sizes in bytes). */
export interface Workload {
  readonly requestsPerSecond: number;
  /** HTTP body of one request. */
  readonly requestBodyBytes: number;
  /** Request line and headers, counted by the ALB as processed bytes. */
  readonly requestHeaderBytes: number;
  /** Whole response (status line, headers, empty body). */
  readonly responseBytes: number;
  /** The Kinesis record the function writes for one request. */
  readonly recordBytes: number;
  /** Bytes one record takes in the gzip archive (Firehose compresses it). */
  readonly archivedBytesPerRecord: number;
  /** Billed Lambda duration of one invocation, whole milliseconds (see `billedDurationMs`). */
  readonly billedMsPerRequest: number;
  readonly memoryMb: number;
  /** Bytes the invocation writes to CloudWatch Logs: the function's lines plus the platform's. */
  readonly logBytesPerRequest: number;
  /** Log events per invocation (each carries the per-event overhead). */
  readonly logEventsPerRequest: number;
  /** Function instances running at once (each writes its periodic lines whatever its load). */
  readonly concurrentInstances: number;
  /** A line each instance writes on a timer (the batched EMF metrics document), bytes. */
  readonly instanceLogLineBytes: number;
  readonly instanceLogLinesPerHour: number;
  /** ALB: new client connections per request (1 = no reuse, the conservative case). */
  readonly newConnectionsPerRequest: number;
  /** ALB: how long a client connection stays open. */
  readonly connectionSeconds: number;
  /** Firehose buffering of the archive (the stack's defaults: 300 s, 64 MiB). */
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferBytes: number;
  /** Provisioned streams are sized to run at most this busy (headroom against throttling). */
  readonly shardUtilisation: number;
}

export interface CostItems {
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly endpoint: number;
  readonly kinesis: number;
  readonly firehose: number;
  readonly s3: number;
  readonly logs: number;
}

export interface CostEstimate {
  readonly endpoint: EndpointType;
  readonly streamMode: StreamMode;
  readonly requestsPerSecond: number;
  readonly items: CostItems;
  readonly total: number;
  /** Provisioned mode only. */
  readonly shards: number | null;
}

/** Cost of `quantity` units under cumulative volume tiers. */
export function tieredCost(quantity: number, tiers: readonly PriceTier[]): number {
  let cost = 0;
  let lower = 0;
  for (const tier of tiers) {
    if (quantity <= lower) break;
    const inTier = Math.min(quantity, tier.upTo) - lower;
    cost += inTier * tier.price;
    lower = tier.upTo;
  }
  return cost;
}

/** Units of `unitBytes` that one record of `bytes` is billed as (every record rounds up, min 1). */
export function roundedUnits(bytes: number, unitBytes: number): number {
  return Math.max(1, Math.ceil(bytes / unitBytes));
}

/**
 * Billed milliseconds of one invocation. `cpuMs` is CPU time measured on a machine with a full
 * core; below `fullVcpuMemoryMb` Lambda gives a proportional CPU share, so the same work takes
 * longer. The wait on the stream (PutRecords round trip) does not scale. Lambda bills whole ms.
 */
export function billedDurationMs(cpuMs: number, waitMs: number, memoryMb: number, prices: Prices): number {
  const slowdown = Math.max(1, prices.lambda.fullVcpuMemoryMb / memoryMb);
  return Math.max(1, Math.ceil(cpuMs * slowdown + waitMs));
}

/** Shards a provisioned stream needs for this ingress, busiest dimension first. */
export function provisionedShards(
  recordsPerSecond: number,
  bytesPerSecond: number,
  utilisation: number,
  prices: Prices,
): number {
  const { shardBytesPerSecond, shardRecordsPerSecond } = prices.kinesisProvisioned;
  return Math.max(
    1,
    Math.ceil(bytesPerSecond / (shardBytesPerSecond * utilisation)),
    Math.ceil(recordsPerSecond / (shardRecordsPerSecond * utilisation)),
  );
}

/** ALB load balancer capacity units used per hour: the busiest of its dimensions. */
export function albLcus(workload: Workload, prices: Prices): number {
  const { lcu } = prices.alb;
  const rps = workload.requestsPerSecond;
  const newConnections = (rps * workload.newConnectionsPerRequest) / lcu.newConnectionsPerSecond;
  const active =
    (rps * workload.newConnectionsPerRequest * workload.connectionSeconds) / lcu.activeConnectionsPerMinute;
  const bytesPerHour =
    rps * 3600 * (workload.requestBodyBytes + workload.requestHeaderBytes + workload.responseBytes);
  const processed = bytesPerHour / GB / lcu.processedGbPerHourLambda;
  // Rule evaluations: the stack's listener has far fewer than the 10 free rules per request.
  return Math.max(newConnections, active, processed);
}

function endpointCost(endpoint: EndpointType, workload: Workload, requests: number, prices: Prices): number {
  switch (endpoint) {
    case 'function-url':
      return (requests / 1e6) * prices.functionUrl.perMillionRequests;
    case 'http-api': {
      const increments = roundedUnits(workload.requestBodyBytes, prices.httpApi.meteringIncrementBytes);
      return tieredCost((requests * increments) / 1e6, scaleTiers(prices.httpApi.tiers, 1e-6));
    }
    case 'alb':
      return HOURS_PER_MONTH * (prices.alb.perHour + albLcus(workload, prices) * prices.alb.perLcuHour);
  }
}

/** Tiers expressed in another unit (e.g. requests → millions of requests). */
function scaleTiers(tiers: readonly PriceTier[], factor: number): PriceTier[] {
  return tiers.map((tier) => ({ upTo: tier.upTo * factor, price: tier.price }));
}

function kinesisCost(
  mode: StreamMode,
  workload: Workload,
  requests: number,
  prices: Prices,
): { cost: number; shards: number | null } {
  if (mode === 'on-demand') {
    const p = prices.kinesisOnDemand;
    const billedGb =
      (requests * roundedUnits(workload.recordBytes, p.recordRoundingBytes) * p.recordRoundingBytes) / GB;
    // Firehose is the one consumer: every record is read once.
    const cost = HOURS_PER_MONTH * p.perStreamHour + billedGb * p.ingestPerGb + billedGb * p.retrievalPerGb;
    return { cost, shards: null };
  }
  const p = prices.kinesisProvisioned;
  const shards = provisionedShards(
    workload.requestsPerSecond,
    workload.requestsPerSecond * workload.recordBytes,
    workload.shardUtilisation,
    prices,
  );
  const units = requests * roundedUnits(workload.recordBytes, p.putPayloadUnitBytes);
  const cost = HOURS_PER_MONTH * shards * p.perShardHour + (units / 1e6) * p.perMillionPutPayloadUnits;
  return { cost, shards };
}

/** Monthly cost of one configuration under a steady `workload`. */
export function estimateMonthlyCost(
  endpoint: EndpointType,
  streamMode: StreamMode,
  workload: Workload,
  prices: Prices,
): CostEstimate {
  const requests = workload.requestsPerSecond * SECONDS_PER_MONTH;
  const gbSeconds = requests * (workload.billedMsPerRequest / 1000) * (workload.memoryMb / 1024);
  const stream = kinesisCost(streamMode, workload, requests, prices);

  const firehoseGb =
    (requests *
      roundedUnits(workload.recordBytes, prices.firehose.recordRoundingBytes) *
      prices.firehose.recordRoundingBytes) /
    GB;
  const rawArchiveBytes = requests * workload.recordBytes;
  const archiveObjects = Math.max(
    SECONDS_PER_MONTH / workload.firehoseBufferSeconds,
    rawArchiveBytes / workload.firehoseBufferBytes,
  );
  // One month of archive in S3 Standard (the month's new data; older months move to cheaper tiers).
  const archivedGb = (requests * workload.archivedBytesPerRecord) / GB;
  const overhead = prices.cloudWatchLogs.perEventOverheadBytes;
  const perRequestLogBytes =
    requests * (workload.logBytesPerRequest + workload.logEventsPerRequest * overhead);
  const periodicLogBytes =
    workload.concurrentInstances *
    workload.instanceLogLinesPerHour *
    HOURS_PER_MONTH *
    (workload.instanceLogLineBytes + overhead);
  const logGb = (perRequestLogBytes + periodicLogBytes) / GB;

  const items: CostItems = {
    lambdaRequests: (requests / 1e6) * prices.lambda.perMillionRequests,
    lambdaDuration: gbSeconds * prices.lambda.armGbSecond,
    endpoint: endpointCost(endpoint, workload, requests, prices),
    kinesis: stream.cost,
    firehose: firehoseGb * prices.firehose.ingestPerGb,
    s3: archivedGb * prices.s3.standardGbMonth + (archiveObjects / 1000) * prices.s3.perThousandPuts,
    logs: tieredCost(logGb, prices.cloudWatchLogs.ingestTiersPerGb),
  };
  const total = Object.values(items).reduce((sum, value) => sum + value, 0);
  return {
    endpoint,
    streamMode,
    requestsPerSecond: workload.requestsPerSecond,
    items,
    total,
    shards: stream.shards,
  };
}

/** Every endpoint type × stream mode at each rate. */
export function costMatrix(
  rates: readonly number[],
  workloadAt: (requestsPerSecond: number) => Workload,
  prices: Prices,
): CostEstimate[] {
  return rates.flatMap((rate) =>
    ENDPOINT_TYPES.flatMap((endpoint) =>
      STREAM_MODES.map((mode) => estimateMonthlyCost(endpoint, mode, workloadAt(rate), prices)),
    ),
  );
}

/** What the model assumes beyond the price list; each is reported next to the results. */
export interface CostAssumptions {
  /** The original solution's request: 2 KB of 10 events. */
  readonly requestBodyBytes: number;
  /** Round trip of one PutRecords call from the function (not measurable here). */
  readonly putRecordsWaitMs: number;
  readonly requestHeaderBytes: number;
  readonly responseBytes: number;
  /**
   * START, END and REPORT lines Lambda writes per invocation when the function's system log level
   * lets them through (text format, or JSON at INFO/DEBUG); none at WARN and above.
   */
  readonly platformLogBytes: number;
  readonly platformLogEvents: number;
  /** Fewest function instances the model keeps (a steady load always has one warm). */
  readonly minInstances: number;
  readonly newConnectionsPerRequest: number;
  readonly connectionSeconds: number;
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferBytes: number;
  readonly shardUtilisation: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  requestBodyBytes: 2048,
  putRecordsWaitMs: 10,
  requestHeaderBytes: 600,
  responseBytes: 250,
  platformLogBytes: 270,
  platformLogEvents: 3,
  minInstances: 1,
  newConnectionsPerRequest: 1,
  connectionSeconds: 5,
  firehoseBufferSeconds: 300,
  firehoseBufferBytes: 64 * 1024 * 1024,
  shardUtilisation: 0.8,
};

/** What the benchmark measured that the model needs. */
export interface CostMeasurements {
  /** CPU µs of the deployed handler (EMF metrics on) for the 10-event request. */
  readonly handlerCpuUs: number;
  /** Record bytes for a request of `requestBodyBytes` (scaled from the measured 10-event record). */
  readonly recordBytes: number;
  readonly archiveGzipRatio: number;
  /** What the function itself writes to its log per successful request (measured, real time). */
  readonly functionLogBytes: number;
  readonly functionLogEvents: number;
  /** One periodic EMF metrics document (measured) and how often each instance writes one. */
  readonly metricsLineBytes: number;
  readonly metricsFlushSeconds: number;
  readonly memoryMb: number;
  /** `LoggingConfig.SystemLogLevel` of the synthesized function (null: not set or no template). */
  readonly systemLogLevel: string | null;
}

/** Whether Lambda writes its START/END/REPORT lines at this system log level (null: the default, INFO). */
export function platformLinesLogged(systemLogLevel: string | null): boolean {
  return !['WARN', 'ERROR', 'FATAL'].includes((systemLogLevel ?? 'INFO').toUpperCase());
}

/**
 * Instances a steady load keeps busy: arrival rate × time each request holds one (Little's law),
 * rounded up, at least `minimum`. Real fleets keep some idle ones too; each costs one periodic line.
 */
export function concurrentInstances(requestsPerSecond: number, billedMs: number, minimum: number): number {
  return Math.max(minimum, Math.ceil((requestsPerSecond * billedMs) / 1000));
}

export function workloadFor(
  requestsPerSecond: number,
  measured: CostMeasurements,
  assumptions: CostAssumptions,
  prices: Prices,
): Workload {
  const billedMs = billedDurationMs(
    measured.handlerCpuUs / 1000,
    assumptions.putRecordsWaitMs,
    measured.memoryMb,
    prices,
  );
  const platform = platformLinesLogged(measured.systemLogLevel);
  return {
    requestsPerSecond,
    requestBodyBytes: assumptions.requestBodyBytes,
    requestHeaderBytes: assumptions.requestHeaderBytes,
    responseBytes: assumptions.responseBytes,
    recordBytes: measured.recordBytes,
    archivedBytesPerRecord: measured.recordBytes * measured.archiveGzipRatio,
    billedMsPerRequest: billedMs,
    memoryMb: measured.memoryMb,
    logBytesPerRequest: measured.functionLogBytes + (platform ? assumptions.platformLogBytes : 0),
    logEventsPerRequest: measured.functionLogEvents + (platform ? assumptions.platformLogEvents : 0),
    concurrentInstances: concurrentInstances(requestsPerSecond, billedMs, assumptions.minInstances),
    instanceLogLineBytes: measured.metricsLineBytes,
    instanceLogLinesPerHour: measured.metricsFlushSeconds > 0 ? 3600 / measured.metricsFlushSeconds : 0,
    newConnectionsPerRequest: assumptions.newConnectionsPerRequest,
    connectionSeconds: assumptions.connectionSeconds,
    firehoseBufferSeconds: assumptions.firehoseBufferSeconds,
    firehoseBufferBytes: assumptions.firehoseBufferBytes,
    shardUtilisation: assumptions.shardUtilisation,
  };
}
