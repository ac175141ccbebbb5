import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type CostEstimate,
  type CostItems,
  costMatrix,
  GB,
  platformLinesLogged,
  roundedUnits,
  SECONDS_PER_MONTH,
  type Workload,
  workloadFor,
} from './cost-model';
import { HOURS_PER_MONTH, ORIGINAL_SOLUTION_COST, PRICES } from './prices';
import type { BenchReport } from './report';

/**
 * The part of BENCHMARKS.md that is analysis rather than measurement: what the first run's
 * profiling proposed and what of it was applied (before = the first committed run, read from git;
 * after = this run), the cost arithmetic line by line, and why each missed target is missed.
 * Everything with a figure is computed from this run and the first one, except the experiments
 * named as such (scratch-copy A/B runs on this machine, 2026-11-28).
 */

/** The commit whose benchmarks.json holds the first run (before any of the profiled fixes). */
export const BEFORE_COMMIT = '5b8e8d5';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const money = (value: number) => `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const money1 = (value: number) =>
  `$${value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}`;
const num = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

/** A path into parsed JSON: a number there, or NaN. */
function pick(root: unknown, path: ReadonlyArray<string | number>): number {
  let value: unknown = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return Number.NaN;
    value = (value as Record<string | number, unknown>)[key];
  }
  return typeof value === 'number' ? value : Number.NaN;
}

/** An array element of parsed JSON matching `where`, or undefined. */
function find(
  root: unknown,
  path: readonly string[],
  where: (entry: Record<string, unknown>) => boolean,
): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (!Array.isArray(value)) return undefined;
  return value.find(
    (entry: unknown) =>
      typeof entry === 'object' && entry !== null && where(entry as Record<string, unknown>),
  );
}

/** The first committed run's benchmarks.json, or null when git or the commit is unavailable. */
function loadBefore(): unknown {
  try {
    const text = execFileSync('git', ['show', `${BEFORE_COMMIT}:benchmarks.json`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function cheapest(estimates: readonly CostEstimate[], rate: number): CostEstimate {
  return estimates
    .filter((estimate) => estimate.requestsPerSecond === rate)
    .reduce((best, estimate) => (estimate.total < best.total ? estimate : best));
}

function estimateOf(
  estimates: readonly CostEstimate[],
  rate: number,
  endpoint: string,
  mode: string,
): CostEstimate | undefined {
  return estimates.find(
    (entry) => entry.requestsPerSecond === rate && entry.endpoint === endpoint && entry.streamMode === mode,
  );
}

const ITEM_LABELS: Record<keyof CostItems, string> = {
  lambdaRequests: 'Lambda requests',
  lambdaDuration: 'Lambda duration',
  endpoint: 'endpoint',
  kinesis: 'Kinesis',
  firehose: 'Firehose',
  s3: 'S3',
  logs: 'CloudWatch Logs',
};

function biggestItems(estimate: CostEstimate): string {
  return (Object.entries(estimate.items) as Array<[keyof CostItems, number]>)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([key, value]) => `${ITEM_LABELS[key]} ${money(value)}`)
    .join(', ');
}

function beforeAfter(report: BenchReport, before: unknown): string {
  if (before === null) {
    return `The first run's figures could not be read (\`git show ${BEFORE_COMMIT}:benchmarks.json\` failed), so no before/after table.`;
  }
  const variant = (root: unknown, events: number) =>
    find(
      root,
      ['handlerCpu', 'variants'],
      (entry) => entry.events === events && entry.compression === 'none',
    );
  const target = (root: unknown, kind: string) =>
    find(root, ['httpLoad', 'targets'], (entry) => entry.kind === kind);
  const estimate = (root: unknown, rate: number, endpoint: string, mode: string) =>
    find(
      root,
      ['cost', 'estimates'],
      (entry) => entry.requestsPerSecond === rate && entry.endpoint === endpoint && entry.streamMode === mode,
    );
  const cheapestTotal = (root: unknown, rate: number): number => {
    let best = Number.POSITIVE_INFINITY;
    for (const endpoint of ['function-url', 'http-api', 'alb']) {
      for (const mode of ['on-demand', 'provisioned']) {
        best = Math.min(best, pick(estimate(root, rate, endpoint, mode), ['total']));
      }
    }
    return best;
  };
  const share = (root: unknown) =>
    (100 * pick(target(root, 'memory'), ['rps', 'median'])) / pick(target(root, 'bare'), ['rps', 'median']);
  const after: unknown = report;
  const w = report.cost.workload10;
  const beforeLogBytes = pick(before, ['cost', 'workload10', 'logBytesPerRequest']);
  const beforeLogEvents = pick(before, ['cost', 'workload10', 'logEventsPerRequest']);
  const rows: Array<[string, string, string]> = [
    ...[1, 10, 100].map((events): [string, string, string] => [
      `handler CPU µs, ${events} event${events === 1 ? '' : 's'} (silent)`,
      num(pick(variant(before, events), ['handlerUs', 'median']), 1),
      num(pick(variant(after, events), ['handlerUs', 'median']), 1),
    ]),
    ...[10, 100].map((events): [string, string, string] => [
      `handler/baseline, ${events} events`,
      num(pick(variant(before, events), ['ratio', 'median']), 2),
      num(pick(variant(after, events), ['ratio', 'median']), 2),
    ]),
    [
      'handler CPU µs, 10 events, telemetry as deployed',
      num(pick(before, ['handlerCpu', 'telemetry', 'deployedUs', 'median']), 1),
      num(report.handlerCpu.telemetry.deployedUs.median, 1),
    ],
    [
      'function log bytes per successful request (real time)',
      num(pick(before, ['handlerCpu', 'telemetry', 'logBytesPerRequest']), 0),
      `${num(report.handlerCpu.telemetry.logBytesPerRequest, 2)} (+ one ${num(report.handlerCpu.telemetry.metricsLineBytes, 0)} B line per instance per ${report.handlerCpu.telemetry.metricsFlushSeconds} s)`,
    ],
    [
      'log bytes / events billed per request in the model (function + platform)',
      `${num(beforeLogBytes, 0)} / ${num(beforeLogEvents, 0)}`,
      `${num(w.logBytesPerRequest, 2)} / ${num(w.logEventsPerRequest, 2)} (+ periodic lines)`,
    ],
    [
      'local collector, in-memory sink: req/s (share of the bare ceiling)',
      `${num(pick(target(before, 'memory'), ['rps', 'median']), 0)} (${num(share(before), 0)} %)`,
      `${num(pick(target(after, 'memory'), ['rps', 'median']), 0)} (${num(share(after), 0)} %)`,
    ],
    [
      'local collector, in-memory sink: p99 ms',
      num(pick(target(before, 'memory'), ['p99Ms', 'median']), 0),
      num(pick(target(after, 'memory'), ['p99Ms', 'median']), 0),
    ],
    [
      'handler bundle, minified KiB',
      num(pick(before, ['coldStart', 'bundleBytes']) / 1024, 0),
      num(report.coldStart.bundleBytes / 1024, 0),
    ],
    [
      'cold start: import + first request, ms',
      `${num(pick(before, ['coldStart', 'importMs', 'median']) + pick(before, ['coldStart', 'firstRequestMs', 'median']), 0)} (sum of the two medians; not recorded per run then)`,
      num(report.coldStart.importAndFirstRequestMs.median, 0),
    ],
    [
      'cold start: process start → first answer, without source maps, ms',
      num(pick(before, ['coldStart', 'firstAnswerMs', 'median']), 0),
      num(report.coldStart.firstAnswerMs.median, 0),
    ],
    [
      'cold start: process start → first answer as deployed, ms',
      `${num(pick(before, ['coldStart', 'firstAnswerWithSourceMapsMs', 'median']), 0)} (with source maps)`,
      `${num(report.coldStart.firstAnswerMs.median, 0)} (${report.coldStart.deployedNodeOptions === null ? 'no NODE_OPTIONS' : report.coldStart.deployedNodeOptions})`,
    ],
    ...[10, 100, 1000].map((rate): [string, string, string] => [
      `cheapest monthly cost at ${num(rate, 0)} req/s`,
      money1(cheapestTotal(before, rate)),
      money1(cheapestTotal(after, rate)),
    ]),
    [
      'function-url / on-demand at 100 req/s (original: $190.8)',
      money1(pick(estimate(before, 100, 'function-url', 'on-demand'), ['total'])),
      money1(pick(estimate(after, 100, 'function-url', 'on-demand'), ['total'])),
    ],
    [
      'function-url / provisioned at 100 req/s (original: $101.8)',
      money1(pick(estimate(before, 100, 'function-url', 'provisioned'), ['total'])),
      money1(pick(estimate(after, 100, 'function-url', 'provisioned'), ['total'])),
    ],
  ];
  return [
    `Before: the first committed run (\`git show ${BEFORE_COMMIT}:benchmarks.json\`, ${String((before as { generatedAt?: unknown }).generatedAt ?? 'date unknown')}). After: this run. ` +
      'Both on this shared 2-core machine, whose load varies from run to run: compare ratios and CPU figures first, req/s and wall-clock figures with care.',
    '',
    '| figure | before | after |',
    '| --- | --- | --- |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const appliedChanges = `What the first run proposed, and what became of it (commits e678523 and f209d7f, and local/ in this change):

1. **Request id from a pool** — applied (\`lambda/core/request-id.ts\`: one \`randomBytes(4096)\` per 256 ids, same 32-hex format).
2. **Validation fast path** — applied (\`lambda/core/event-fast-path.ts\`: flat SDK events are vouched for without Zod; anything it
   cannot vouch for goes to the schema, which still writes the reasons; a property test holds it to the schema).
3. **Per-request metrics calls** — applied in its larger form: \`OutcomeMetrics\` sums the request metrics per instance and
   publishes one EMF document at most every \`CLICKSTREAM_METRICS_FLUSH_SECONDS\` (default 60), at once after a 5xx or a
   fallback write; the \`logMetrics\` middleware is gone. middy and \`injectLambdaContext\` remain.
4. **Bundle** — applied and taken further: Zod imported as a namespace, then \`zod/mini\` with English messages only in
   \`lambda/config.ts\` and the event schema; \`@aws-sdk/client-secrets-manager\` left to the Lambda runtime (external).
5. **Local server's empty-body write** — not applied; re-tried in this change (\`end()\` without a body when the body is empty,
   scratch copy, alternating rounds): server CPU per request 143–201 vs 142–216 µs, no difference beyond noise.
6. **Logs** — applied: JSON log format with system log level WARN (no START/END/REPORT lines; read back from the synthesized
   template by the cost model) and the metrics batching of 3. Source maps are no longer enabled at run time (\`NODE_OPTIONS\`
   gone from the template), which is what the "as deployed" cold-start figure now measures.
7. **Local HTTP adapter** (\`local/\`, this change) — profiled under autocannon with \`node --cpu-prof\`, then: quiet servers
   skip the \`AsyncLocalStorage\` context (no async hooks on every promise), the \`onOutcome\` callback and the request
   line's work; UTF-8 bodies without Content-Encoding go into the event as text (\`isBase64Encoded: false\`, as function
   URLs deliver text; the handler's \`Buffer.from(body, 'utf8')\` gives back the same bytes), anything else stays base64;
   a one-chunk body is not copied; headers are split from the Cookie header in one pass; the request time string is
   formatted once a second; response headers are copied without spread/delete. Measured in one scratch A/B run (the tree
   before this change, \`git archive HEAD\`, against this one; 6 rounds of 5 s each, targets rotating, 10 connections,
   2026-11-28 20:01 UTC): in-memory sink **4,758 → 7,903 req/s** median (bare ceiling 28,858 in the same rounds: 16 % → 27 %),
   server CPU **228 → 136 µs per request** median (ranges 170–251 → 127–223). Nearly all of it is the \`AsyncLocalStorage\`:
   once a store has been entered, Node 20 runs async hooks on every promise the handler creates. The event building and
   response mapping themselves measure 5.4 → 5.0 µs per request in process, and the request line ~1 µs, so the base64 and
   copy savings are real but small. Non-quiet runs (\`npm start\`) still use the async context, to print each request's
   outcome.`;

/** The monthly arithmetic of one configuration, item by item, with the inputs that make it. */
function arithmetic(estimate: CostEstimate, workload: Workload, report: BenchReport): string[] {
  const p = PRICES;
  const requests = workload.requestsPerSecond * SECONDS_PER_MONTH;
  const millions = requests / 1e6;
  const gbSeconds = requests * (workload.billedMsPerRequest / 1000) * (workload.memoryMb / 1024);
  const lines: string[] = [];
  lines.push(
    `| Lambda requests | ${num(millions, 1)} M × $${p.lambda.perMillionRequests.toFixed(2)}/M | ${money1(estimate.items.lambdaRequests)} |`,
    `| Lambda duration | ${num(millions, 1)} M × ${workload.billedMsPerRequest} ms × ${workload.memoryMb / 1024} GB = ${num(gbSeconds, 0)} GB-s × $${p.lambda.armGbSecond} | ${money1(estimate.items.lambdaDuration)} |`,
  );
  if (estimate.endpoint === 'http-api') {
    lines.push(
      `| HTTP API | ${num(millions, 1)} M requests at $1.00/M (first 300 M), $0.90/M after | ${money1(estimate.items.endpoint)} |`,
    );
  } else if (estimate.endpoint === 'alb') {
    lines.push(
      `| ALB | ${HOURS_PER_MONTH} h × ($${p.alb.perHour} + LCUs × $${p.alb.perLcuHour}); LCUs = the busiest of ${workload.requestsPerSecond} new connections/s ÷ ${p.alb.lcu.newConnectionsPerSecond}, processed bytes ÷ ${p.alb.lcu.processedGbPerHourLambda} GB/h | ${money1(estimate.items.endpoint)} |`,
    );
  } else {
    lines.push(`| function URL | no charge beyond the invocation | ${money1(estimate.items.endpoint)} |`);
  }
  if (estimate.streamMode === 'provisioned') {
    const units = roundedUnits(workload.recordBytes, p.kinesisProvisioned.putPayloadUnitBytes);
    lines.push(
      `| Kinesis (provisioned) | ${estimate.shards} shard${estimate.shards === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h × $${p.kinesisProvisioned.perShardHour} + ${num(millions, 1)} M × ${units} PUT unit (25 KB each) × $${p.kinesisProvisioned.perMillionPutPayloadUnits}/M | ${money1(estimate.items.kinesis)} |`,
    );
  } else {
    const kb = roundedUnits(workload.recordBytes, p.kinesisOnDemand.recordRoundingBytes);
    const gb = (requests * kb * 1024) / GB;
    lines.push(
      `| Kinesis (on-demand) | ${HOURS_PER_MONTH} h × $${p.kinesisOnDemand.perStreamHour} + ${num(millions, 1)} M × ${num(workload.recordBytes, 0)} B → ${kb} KB = ${num(gb, 0)} GB × ($${p.kinesisOnDemand.ingestPerGb} in + $${p.kinesisOnDemand.retrievalPerGb} out) | ${money1(estimate.items.kinesis)} |`,
    );
  }
  const fhUnits = roundedUnits(workload.recordBytes, p.firehose.recordRoundingBytes);
  const fhGb = (requests * fhUnits * p.firehose.recordRoundingBytes) / GB;
  lines.push(
    `| Firehose | ${num(millions, 1)} M records × ${num(workload.recordBytes, 0)} B → ${fhUnits * 5} KB = ${num(fhGb, 0)} GB × $${p.firehose.ingestPerGb} | ${money1(estimate.items.firehose)} |`,
  );
  const archivedGb = (requests * workload.archivedBytesPerRecord) / GB;
  lines.push(
    `| S3 | ${num(archivedGb, 1)} GB of gzip archive × $${p.s3.standardGbMonth} + one PUT per Firehose flush | ${money1(estimate.items.s3)} |`,
  );
  const overhead = p.cloudWatchLogs.perEventOverheadBytes;
  const periodicGb =
    (workload.concurrentInstances *
      workload.instanceLogLinesPerHour *
      HOURS_PER_MONTH *
      (workload.instanceLogLineBytes + overhead)) /
    GB;
  const perRequestGb =
    (requests * (workload.logBytesPerRequest + workload.logEventsPerRequest * overhead)) / GB;
  lines.push(
    `| CloudWatch Logs | ${workload.concurrentInstances} instance(s) × ${num(workload.instanceLogLinesPerHour, 0)} lines/h × ${HOURS_PER_MONTH} h × (${num(workload.instanceLogLineBytes, 0)} + ${overhead}) B = ${num(periodicGb * 1024, 1)} MB` +
      `${perRequestGb > 0 ? ` + ${num(perRequestGb, 2)} GB per-request lines` : ''}${platformLinesLogged(report.cost.measurements.systemLogLevel) ? ' (platform lines included)' : ' (no platform lines: system log level WARN)'} × $0.50/GB | ${money1(estimate.items.logs)} |`,
  );
  return lines;
}

function costArithmetic(report: BenchReport): string {
  const { estimates, measurements, assumptions } = report.cost;
  const parts: string[] = [
    'Each line item of the configurations that decide the cost targets, from the same inputs as section 5 (prices in `scripts/bench/prices.ts`). ' +
      "The original's figures are its published totals (ALB + ECS capacity + Kinesis, fixed cost); it publishes no per-item split to set beside these lines.",
  ];
  const configs: Array<[number, string, string]> = [
    [10, 'http-api', 'on-demand'],
    [100, 'function-url', 'provisioned'],
    [100, 'function-url', 'on-demand'],
    [100, 'http-api', 'provisioned'],
    [1000, 'function-url', 'provisioned'],
  ];
  for (const [rate, endpoint, mode] of configs) {
    const estimate = estimateOf(estimates, rate, endpoint, mode);
    if (estimate === undefined) continue;
    const workload = workloadFor(rate, measurements, assumptions, PRICES);
    const original = ORIGINAL_SOLUTION_COST[mode as 'on-demand' | 'provisioned'][rate as 10 | 100 | 1000];
    parts.push(
      '',
      `**${endpoint}, ${mode}${estimate.shards === null ? '' : ` (${estimate.shards} shard${estimate.shards === 1 ? '' : 's'})`}, ${num(rate, 0)} req/s** — total ${money1(estimate.total)} vs the original's ${money1(original)} (${num(estimate.total / original, 2)}×)`,
      '',
      '| item | arithmetic | monthly |',
      '| --- | --- | --- |',
      ...arithmetic(estimate, workload, report),
    );
  }
  return parts.join('\n');
}

/** The floors no tuning of the function moves: per-request prices times the request count. */
function structuralFloors(report: BenchReport): string {
  const { estimates } = report.cost;
  const lines: string[] = [];
  for (const rate of [100, 1000] as const) {
    const requests = rate * SECONDS_PER_MONTH;
    const lambdaRequests = (requests / 1e6) * PRICES.lambda.perMillionRequests;
    const best = estimateOf(estimates, rate, 'function-url', 'provisioned');
    const firehose = best?.items.firehose ?? Number.NaN;
    const kinesis = best?.items.kinesis ?? Number.NaN;
    const floor = lambdaRequests + firehose + kinesis;
    const onDemand = estimateOf(estimates, rate, 'function-url', 'on-demand');
    const onDemandFloor = lambdaRequests + firehose + (onDemand?.items.kinesis ?? Number.NaN);
    const httpApi = estimateOf(estimates, rate, 'http-api', 'provisioned')?.items.endpoint ?? Number.NaN;
    // Firehose billed by actual bytes instead of 5 KB per record (the unconfirmed reading, prices.ts).
    const firehoseActual =
      ((requests * report.cost.measurements.recordBytes) / GB) * PRICES.firehose.ingestPerGb;
    const bestTotal = best?.total ?? Number.NaN;
    lines.push(
      `- **${num(rate, 0)} req/s** (${num(requests / 1e6, 1)} M requests a month): Lambda's request charge alone is ${money1(lambdaRequests)}; ` +
        `Firehose, every ~${num(report.cost.measurements.recordBytes / 1024, 1)} KB record billed as 5 KB, ${money1(firehose)}; the cheapest stream (provisioned, ${best?.shards} shard${best?.shards === 1 ? '' : 's'}) ${money1(kinesis)}. ` +
        `Those three, before any compute or logs, make ${money1(floor)} against the original's ${money1(ORIGINAL_SOLUTION_COST.provisioned[rate])} (provisioned); ` +
        `with an on-demand stream (${money1(onDemand?.items.kinesis ?? Number.NaN)}, records rounded up to 3 KB) ${money1(onDemandFloor)} against the original's ${money1(ORIGINAL_SOLUTION_COST['on-demand'][rate])} (on-demand). ` +
        `An HTTP API adds ${money1(httpApi)} on its own (its $1 per million requests). ` +
        `Were Firehose to bill a stream source by actual bytes (not confirmed, see prices.ts), it would be ${money1(firehoseActual)} and function-url/provisioned ${money1(bestTotal - firehose + firehoseActual)}.`,
    );
  }
  return lines.join('\n');
}

function whatIf(report: BenchReport): string {
  const { measurements, assumptions } = report.cost;
  const scenarios = [
    { label: 'as deployed now (this run)', m: measurements, a: assumptions, archive: true },
    {
      label: "with the first run's log volume (334 B EMF per request + START/END/REPORT lines)",
      m: {
        ...measurements,
        functionLogBytes: 334,
        functionLogEvents: 1,
        metricsFlushSeconds: 0,
        systemLogLevel: null,
      },
      a: assumptions,
      archive: true,
    },
    {
      label: 'as deployed now, without the Firehose archive (stream only: the design’s floor)',
      m: measurements,
      a: assumptions,
      archive: false,
    },
  ];
  const rows = scenarios.map((scenario) => {
    const estimates = costMatrix(
      [10, 100, 1000],
      (rate) => workloadFor(rate, scenario.m, scenario.a, PRICES),
      PRICES,
    ).map((estimate) =>
      scenario.archive
        ? estimate
        : { ...estimate, total: estimate.total - estimate.items.firehose - estimate.items.s3 },
    );
    const cells = [10, 100, 1000].map((rate) => {
      const best = cheapest(estimates, rate);
      return `${money(best.total)} (${best.endpoint}, ${best.streamMode})`;
    });
    return `| ${scenario.label} | ${cells.join(' | ')} |`;
  });
  return [
    '| scenario | cheapest @10 req/s | cheapest @100 req/s | cheapest @1,000 req/s |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function missReasons(report: BenchReport): string[] {
  const failed = new Set(report.targets.filter((target) => !target.pass).map((target) => target.id));
  const reasons: string[] = [];
  const v10 = report.handlerCpu.variants.find(
    (variant) => variant.events === 10 && variant.compression === 'none',
  );
  const v100 = report.handlerCpu.variants.find(
    (variant) => variant.events === 100 && variant.compression === 'none',
  );
  const target = (kind: string) => report.httpLoad.targets.find((entry) => entry.kind === kind);
  const bare = target('bare');
  const bareHandler = target('bare-handler');
  const memory = target('memory');
  if (failed.has('handler-10') || failed.has('handler-100')) {
    reasons.push(
      `- **handler/baseline**: the baseline's whole work is ~${num(v10?.baselineUs.median ?? Number.NaN, 0)} µs for 10 events and ~${num(v100?.baselineUs.median ?? Number.NaN, 0)} µs for 100; ` +
        `the handler takes ~${num(v10?.handlerUs.median ?? Number.NaN, 0)} and ~${num(v100?.handlerUs.median ?? Number.NaN, 0)} µs. What it adds is a fixed cost per request ` +
        '(middy and the Powertools logger context, event conversion, SHA-256 of the body for hashCode, routing, CORS, the outcome) and, per event, the validation the baseline skips. ' +
        'The profile above shows where; the fixed part weighs most at 10 events.',
    );
  }
  if (failed.has('http-share') || failed.has('http-p99')) {
    const bareCpu = bare?.cpuUsPerRequest.median ?? Number.NaN;
    const handlerCpu = bareHandler?.cpuUsPerRequest.median ?? Number.NaN;
    const memoryCpu = memory?.cpuUsPerRequest.median ?? Number.NaN;
    reasons.push(
      `- **local collector vs bare server**: per request the bare server's process spends ~${num(bareCpu, 0)} µs of CPU (HTTP parsing, the response write, the socket syscalls); ` +
        `the same server that also builds the function URL event and awaits the handler spends ~${num(handlerCpu, 0)} µs, and the local collector ~${num(memoryCpu, 0)} µs. ` +
        `So the local server's own plumbing is the difference between the last two (${num(memoryCpu - handlerCpu, 0)} µs here: within the noise; local/'s event building and response mapping measure ~5 µs in process); ` +
        `the gap to the ceiling is the handler itself: ~${num(handlerCpu - bareCpu, 0)} µs per request under HTTP load (bare + handler − bare), against ${num(v10?.handlerUs.median ?? Number.NaN, 0)} µs when it runs alone in a tight loop — ` +
        'under load it shares this 2-core machine with the load generator and other tenants, and runs interleaved with socket work, with colder caches. ' +
        `50 % of the ceiling means a whole request in at most twice the bare exchange, ~${num(2 * bareCpu, 0)} µs, of which ~${num(bareCpu, 0)} µs is the HTTP work every server pays: ` +
        `it would take a handler of ≤ ~${num(bareCpu, 0)} µs under load. That is a property of the handler (see the handler/baseline targets), not of local/, and not reachable by trimming the adapter. ` +
        `The p99 (${num(memory?.p99Ms.median ?? Number.NaN, 0)} ms) is measured at saturation with 10 closed-loop connections: queueing behind one busy event loop, so it moves with the CPU cost per request and with the machine's other tenants.`,
    );
  }
  if (failed.has('bundle-size')) {
    reasons.push(
      `- **bundle size**: ${num(report.coldStart.bundleBytes / 1024, 0)} KiB; the composition table shows what remains (mostly the AWS SDK's Kinesis and S3 clients and their smithy core).`,
    );
  }
  if (failed.has('cold-start')) {
    reasons.push(
      `- **cold start**: import + first request ${num(report.coldStart.importAndFirstRequestMs.median, 0)} ms on this shared machine under Node ${process.version} ` +
        `(the AWS SDK prints a Node-20 warning on import; Lambda runs Node 24 on Graviton). The import is module evaluation of the bundle: the composition table shows what it evaluates. ` +
        `The figure moves with the machine's load: Node's own boot, the same work in every run, took ${num(report.coldStart.bootMs.median, 0)} ms in these runs, against ~50 ms in the quieter runs on this machine the same day ` +
        '(when import + first request measured 138–142 ms); the two scale together.',
    );
  }
  if (failed.has('cost-10') || failed.has('cost-100') || failed.has('cost-1000')) {
    const at100 = cheapest(report.cost.estimates, 100);
    const at1000 = cheapest(report.cost.estimates, 1000);
    reasons.push(
      `- **cost**: every request is billed by Lambda, by Firehose and by the endpoint, while the original's ECS capacity is a fixed cost that a 100 req/s load barely uses. ` +
        `At 100 req/s the cheapest configuration (${at100.endpoint}, ${at100.streamMode}) costs ${money(at100.total)}: ${biggestItems(at100)}; ` +
        `at 1,000 req/s (${at1000.endpoint}, ${at1000.streamMode}) ${money(at1000.total)}: ${biggestItems(at1000)}. ` +
        'The floors below are per-request prices times the request count: no change to the function moves them. ' +
        'The 100 req/s target is structurally out of reach for this architecture at list prices (it would need the archive to leave Firehose, or requests to be batched several to a record — one request is one invocation, so the function cannot batch them).',
      '',
      structuralFloors(report),
    );
  }
  return reasons;
}

export function findingsMarkdown(report: BenchReport): string {
  const reasons = missReasons(report);
  const before = loadBefore();
  return [
    '## Applied changes: before and after',
    '',
    appliedChanges,
    '',
    beforeAfter(report, before),
    '',
    '## Cost arithmetic, line by line',
    '',
    costArithmetic(report),
    '',
    'What-if, cheapest configuration per rate (same measurements and prices):',
    '',
    whatIf(report),
    '',
    '## Why targets are missed',
    '',
    reasons.length === 0 ? 'Every target is met in this run.' : reasons.join('\n'),
  ].join('\n');
}
