import { writeFile } from 'node:fs/promises';
import type { ColdStartResult } from './cold-start';
import {
  type CostAssumptions,
  type CostEstimate,
  type CostMeasurements,
  platformLinesLogged,
  type Workload,
  workloadFor,
} from './cost-model';
import type { HandlerCpuResult, ProfileSummary } from './handler-cpu';
import type { HttpLoadResult } from './http-load';
import { ORIGINAL_SOLUTION_COST, PRICES, PRICES_NOTE } from './prices';
import type { Summary } from './stats';

/** Writes the run's figures as BENCHMARKS.md (for people) and benchmarks.json (for tools). */

export interface TargetCheck {
  readonly id: string;
  readonly description: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface CostSection {
  readonly measurements: CostMeasurements;
  readonly assumptions: CostAssumptions;
  readonly workload10: Workload;
  readonly estimates: readonly CostEstimate[];
  /** Cheapest total at 1,000 requests/s for other PutRecords round trips (sensitivity). */
  readonly sensitivity: ReadonlyArray<{
    readonly waitMs: number;
    readonly billedMs: number;
    readonly cheapest1000: number;
  }>;
}

export interface BenchReport {
  readonly generatedAt: string;
  readonly machine: {
    readonly node: string;
    readonly cpu: string;
    readonly cores: number;
    readonly loadAverageStart: readonly number[];
    readonly loadAverageEnd: readonly number[];
  };
  readonly durationSeconds: number;
  readonly targets: readonly TargetCheck[];
  readonly handlerCpu: HandlerCpuResult;
  readonly profile: ProfileSummary | null;
  readonly httpLoad: HttpLoadResult;
  readonly coldStart: ColdStartResult;
  readonly cost: CostSection;
}

const fmt = (value: number, digits = 1) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const range = (summary: Summary, digits = 1) =>
  `${fmt(summary.median, digits)} (${fmt(summary.min, digits)}–${fmt(summary.max, digits)})`;
const dollars = (value: number) => `$${fmt(value, 1)}`;
const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function targetsSection(report: BenchReport): string {
  return table(
    ['target', 'measured', 'result'],
    report.targets.map((target) => [
      target.description,
      target.measured,
      target.pass ? '**PASS**' : '**FAIL**',
    ]),
  );
}

function handlerSection(result: HandlerCpuResult): string {
  const rows = result.variants.map((variant) => [
    variant.name,
    `${fmt(variant.bodyBytes, 0)} B`,
    `${fmt(variant.recordBytes, 0)} B`,
    range(variant.handlerUs),
    fmt(variant.handlerRps.median, 0),
    range(variant.baselineUs),
    fmt(variant.baselineRps.median, 0),
    range(variant.ratio, 2),
  ]);
  const t = result.telemetry;
  return [
    `Function-URL events through \`buildHandler\` (middy, Powertools, the whole core) with \`MemoryStream\`/\`MemoryObjectStore\`, one request at a time. ` +
      `Baseline: the irreducible work only — take the body string (base64-decode and gunzip it for the gzip variants), \`JSON.parse\` it, build the record and \`JSON.stringify\` it to bytes. ` +
      `Figures are CPU time of the process per request (user + system, so other tenants of this shared machine do not inflate them), median (min–max) of ${result.rounds} rounds of ~${result.roundMs} ms; ` +
      `handler and baseline rounds alternate and the ratio is taken per round. Requests/s = one core's worth (10⁶ / µs). Metrics off, logs silent (\`POWERTOOLS_METRICS_DISABLED=true\`, \`POWERTOOLS_LOG_LEVEL=SILENT\`).`,
    '',
    table(
      [
        'request',
        'body',
        'record',
        'handler µs',
        'handler req/s',
        'baseline µs',
        'baseline req/s',
        'handler/baseline',
      ],
      rows,
    ),
    '',
    `With telemetry as deployed (EMF metrics on, summed per instance and flushed every ${t.metricsFlushSeconds} s — the default of \`CLICKSTREAM_METRICS_FLUSH_SECONDS\`; Powertools' default INFO level), 10-event request, interleaved with the silent handler: ` +
      `${range(t.deployedUs)} µs vs ${range(t.silentUs)} µs silent (wall clock ${range(t.deployedWallUs)} µs).`,
    '',
    `Log volume as deployed, measured by counting what the handler writes to stdout: ${fmt(t.realRequests, 0)} successful requests in ${fmt(t.realSeconds, 1)} s of real time wrote ` +
      `${fmt(t.logBytesPerRequest * t.realRequests, 0)} bytes in ${fmt(t.logLinesPerRequest * t.realRequests, 0)} lines (${fmt(t.logBytesPerRequest, 2)} B per request: successes log at DEBUG, filtered). ` +
      `Over ${fmt(t.simulatedSeconds, 0)} s of a simulated clock (\`Date.now\` moved forward between requests; one instance at ${t.simulatedRate} requests/s, ${fmt(t.simulatedRate * t.simulatedSeconds, 0)} requests) ` +
      `it wrote ${t.simulatedLines} lines, ${fmt(t.simulatedBytes, 0)} bytes: one EMF document of ~${fmt(t.metricsLineBytes, 0)} B per ${t.metricsFlushSeconds} s per instance, ` +
      `${fmt(t.simulatedBytes / (t.simulatedRate * t.simulatedSeconds), 2)} B per request at that rate. The cost model bills that line per concurrent instance (section 5).`,
  ].join('\n');
}

function httpSection(result: HttpLoadResult): string {
  const ceiling = result.targets.find((target) => target.kind === 'bare')?.rps.median ?? Number.NaN;
  const rows = result.targets.map((target) => [
    target.label,
    range(target.rps, 0),
    `${fmt((100 * target.rps.median) / ceiling, 0)} %`,
    range(target.cpuUsPerRequest, 0),
    range(target.p50Ms, 0),
    range(target.p99Ms, 0),
    fmt(target.requests, 0),
    `${target.errors} / ${target.non2xx}`,
  ]);
  return [
    `autocannon on loopback, ${result.connections} connections, POST /collect with the 10-event body (${fmt(result.bodyBytes, 0)} B), ` +
      `${result.rounds} rounds of ${result.roundSeconds} s per target, the targets' order rotating each round. Each target runs in its own process ` +
      `(\`scripts/bench/http-target.ts\`); the in-memory variant is \`startLocalCollector\` (quiet, as a load test runs it) with its \`buildHandler\` option wrapping the real ` +
      '`buildHandler` with memory sinks; the Kinesis variant uses the embedded kinesalite/s3rver emulators (archiver off). ' +
      "The 'bare server + … handler' target is the bare server that also builds the function URL event and awaits the same handler: the local collector minus local/'s own plumbing. " +
      'CPU µs/request is the target process’s own CPU time (user + system) over a round divided by the requests it answered — what each server spends per request, whatever the load generator and the other tenants of this 2-core machine do to req/s. ' +
      'Latencies in ms (autocannon resolution: 1 ms).',
    '',
    table(
      [
        'target',
        'req/s',
        'of ceiling',
        'server CPU µs/request',
        'p50 ms',
        'p99 ms',
        'requests',
        'errors / non-2xx',
      ],
      rows,
    ),
  ].join('\n');
}

function memorySection(result: HttpLoadResult): string {
  return [
    'Peak resident set size (`process.resourceUsage().maxRSS`) of each target process over its whole run, warm-up and every round of part 2 included. ' +
      'The Kinesis variant holds kinesalite and s3rver in the same process, and kinesalite keeps every record it accepted in memory.',
    '',
    table(
      ['target', 'peak RSS'],
      result.targets.map((target) => [target.label, `${fmt(target.peakRssMiB, 1)} MiB`]),
    ),
  ].join('\n');
}

function coldStartSection(result: ColdStartResult): string {
  const composition = result.composition
    .slice(0, 10)
    .map((entry) => [entry.name, kib(entry.bytes), `${fmt((100 * entry.bytes) / result.bundleBytes, 0)} %`]);
  return [
    `Bundle: \`${result.bundlePath}\` (source: ${result.source}; the collector function's asset, found through its \`Code.S3Key\` in the template). ` +
      `${kib(result.bundleBytes)} minified (${fmt(result.bundleBytes, 0)} B), ${kib(result.bundleGzipBytes)} gzipped` +
      (result.sourceMapBytes === null
        ? ''
        : `, plus a ${kib(result.sourceMapBytes)} source map deployed beside it`) +
      '.',
    '',
    `A fresh \`node\` process imports the bundle and answers a \`GET /health\` function-URL event (the only request a fresh process can answer without AWS; ` +
      `it runs middy and the core but touches no sink). Environment as the stack sets it, no credentials; NODE_OPTIONS as the synthesized template sets it (${result.deployedNodeOptions === null ? 'none' : `\`${result.deployedNodeOptions}\``}). ` +
      `Median (min–max) of ${result.runs} runs, each preceded by nothing; runs as deployed and with \`--enable-source-maps\` (what the stack set until e678523) alternate. Local Node is ${process.version}; Lambda runs Node 24 on Graviton.`,
    '',
    table(
      ['figure', 'ms'],
      [
        [
          '**import + first request** (first answer − Node boot, per run; the target figure)',
          `**${range(result.importAndFirstRequestMs)}**`,
        ],
        ['… import of the bundle (module evaluation, config, init)', range(result.importMs)],
        ['… first request', range(result.firstRequestMs)],
        ['process start → first answer, as deployed (Node boot included)', range(result.firstAnswerMs)],
        ['… of which Node boot (before the import starts)', range(result.bootMs)],
        ['CPU time to the first answer (all threads)', range(result.cpuMs)],
        ['spawn → exit, seen from the parent', range(result.wallMs)],
        [
          'process start → first answer with `--enable-source-maps` (for reference)',
          range(result.firstAnswerWithSourceMapsMs),
        ],
      ],
    ),
    '',
    "Node's boot is what `node` does before it runs the first line of the bundle; on Lambda the runtime (its own bootstrap included) pays that for every function, so the target is judged on the part this code decides: import + first request. Both figures are above, and in the target table.",
    '',
    "Where the bundle's bytes come from (an esbuild build with the stack's bundling options and a metafile):",
    '',
    table(['package', 'bytes in bundle', 'share'], composition),
    ...(result.notes.length > 0 ? ['', ...result.notes.map((note) => `Note: ${note}`)] : []),
  ].join('\n');
}

function instancesLine(cost: CostSection): string {
  const rates = [...new Set(cost.estimates.map((estimate) => estimate.requestsPerSecond))];
  return rates
    .map((rate) => {
      const workload = workloadFor(rate, cost.measurements, cost.assumptions, PRICES);
      return `${workload.concurrentInstances} at ${fmt(rate, 0)} req/s`;
    })
    .join(', ');
}

function costSection(cost: CostSection): string {
  const m = cost.measurements;
  const a = cost.assumptions;
  const w = cost.workload10;
  const rates = [...new Set(cost.estimates.map((estimate) => estimate.requestsPerSecond))];
  const tables = rates.map((rate) => {
    const rows = cost.estimates
      .filter((estimate) => estimate.requestsPerSecond === rate)
      .map((estimate) => {
        const original = ORIGINAL_SOLUTION_COST[estimate.streamMode][rate as 10 | 100 | 1000];
        const i = estimate.items;
        return [
          estimate.endpoint,
          estimate.streamMode +
            (estimate.shards === null
              ? ''
              : ` (${estimate.shards} shard${estimate.shards === 1 ? '' : 's'})`),
          dollars(i.lambdaRequests + i.lambdaDuration),
          dollars(i.endpoint),
          dollars(i.kinesis),
          dollars(i.firehose),
          dollars(i.s3),
          dollars(i.logs),
          `**${dollars(estimate.total)}**`,
          dollars(original),
          `${fmt(estimate.total / original, 2)}×`,
        ];
      });
    return [
      `**${fmt(rate, 0)} requests/s** (${fmt((rate * 730 * 3600) / 1e6, 0)} M requests a month)`,
      '',
      table(
        [
          'endpoint',
          'stream',
          'Lambda',
          'endpoint',
          'Kinesis',
          'Firehose',
          'S3',
          'Logs',
          'total',
          'original',
          'ours/original',
        ],
        rows,
      ),
    ].join('\n');
  });
  return [
    `Monthly cost (730 h) of a steady load of 2 KB requests of 10 events — the original solution's assumption — for each endpoint type and stream mode, ` +
      `next to the original solution's published figure for the same stream mode. Computed by \`scripts/bench/cost-model.ts\` (unit-tested) from this run's measurements and the price inputs in \`scripts/bench/prices.ts\`.`,
    '',
    `Prices: ${PRICES_NOTE}`,
    '',
    'From this run:',
    `- Lambda CPU per request (deployed telemetry, 10 events): ${fmt(m.handlerCpuUs, 0)} µs on this machine; at ${m.memoryMb} MB (the stack's default, from the template) Lambda gives ${fmt((100 * m.memoryMb) / 1769, 0)} % of a vCPU, so ×${fmt(1769 / m.memoryMb, 2)}; plus the PutRecords round trip (${a.putRecordsWaitMs} ms, assumed) → **${w.billedMsPerRequest} ms billed** (1 ms granularity).`,
    `- Kinesis record per 2 KB request: ${fmt(m.recordBytes, 0)} B (measured envelope + the body as an escaped JSON string); archive gzip ratio ${fmt(m.archiveGzipRatio, 3)} (measured on distinct records).`,
    `- Logs: the function writes ${fmt(m.functionLogBytes, 2)} B per successful request (measured in real time) and one EMF metrics document of ${fmt(m.metricsLineBytes, 0)} B (measured) every ${m.metricsFlushSeconds} s per instance. ` +
      `Instances = requests/s × billed duration (Little's law), rounded up, at least ${a.minInstances}: ${instancesLine(cost)}. ` +
      `Lambda's START/END/REPORT lines: ${platformLinesLogged(m.systemLogLevel) ? `${a.platformLogBytes} B in ${a.platformLogEvents} events per request (assumed)` : '0 B'} — the template's \`LoggingConfig.SystemLogLevel\` is ${m.systemLogLevel === null ? 'not set (Lambda default INFO: lines written)' : `\`${m.systemLogLevel}\``}. Each log event also carries ${PRICES.cloudWatchLogs.perEventOverheadBytes} B of billed overhead.`,
    `- Assumed: ${a.requestHeaderBytes} B request headers, ${a.responseBytes} B response (ALB processed bytes); ALB: ${a.newConnectionsPerRequest} new connection per request (no reuse: conservative), ${a.connectionSeconds} s each; provisioned streams sized for ≤ ${fmt(100 * a.shardUtilisation, 0)} % of shard capacity; Firehose buffering ${a.firehoseBufferSeconds} s / ${fmt(a.firehoseBufferBytes / 1024 / 1024, 0)} MiB (the stack's defaults); S3 holds one month of archive in Standard.`,
    '- Not included: free tiers, data transfer, the CloudWatch dashboard, alarms and custom-metric charges, Glue/Athena queries, Lambda INIT billing of cold starts (rare at steady load).',
    '',
    ...tables.flatMap((text) => [text, '']),
    'Sensitivity to the PutRecords round trip (the one duration input not measured here), cheapest configuration at 1,000 requests/s:',
    '',
    table(
      ['PutRecords wait', 'billed ms', 'cheapest total at 1,000 req/s'],
      cost.sensitivity.map((entry) => [
        `${entry.waitMs} ms`,
        String(entry.billedMs),
        dollars(entry.cheapest1000),
      ]),
    ),
  ].join('\n');
}

function profileSection(profile: ProfileSummary | null): string {
  if (profile === null) return 'Profiling did not run in this invocation.';
  return [
    '`node --cpu-prof` of the handler (10- and 100-event requests back to back, metrics off), this run. Module loading and idle time excluded.',
    '',
    `Garbage collection: ${fmt(profile.garbageCollectionPercent, 1)} % of the profiled time.`,
    '',
    'Stages (inclusive: the function and all it calls):',
    '',
    table(
      ['stage', 'share'],
      profile.stages.map((stage) => [stage.name, `${fmt(stage.percent, 1)} %`]),
    ),
    '',
    'Top functions by self time:',
    '',
    table(
      ['function', 'share'],
      profile.selfTop.map((spot) => [`\`${spot.name}\``, `${fmt(spot.percent, 1)} %`]),
    ),
  ].join('\n');
}

export function renderMarkdown(report: BenchReport, findings: string): string {
  const machine = report.machine;
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (scripts/bench/) on ${report.generatedAt}, in ${fmt(report.durationSeconds, 0)} s. ` +
      `Machine: ${machine.cores} × ${machine.cpu}, Node ${machine.node}; load average ${machine.loadAverageStart.map((value) => fmt(value, 1)).join(' / ')} at the start and ` +
      `${machine.loadAverageEnd.map((value) => fmt(value, 1)).join(' / ')} at the end (a shared machine: what is compared is measured side by side, in alternating rounds). ` +
      'Every figure is the median of repeated runs with (min–max). The same figures are in `benchmarks.json`.',
    '',
    '## Targets',
    '',
    targetsSection(report),
    '',
    '## 1. Handler CPU cost (in process, in-memory sink)',
    '',
    handlerSection(report.handlerCpu),
    '',
    '## 2. Local HTTP collector under load',
    '',
    httpSection(report.httpLoad),
    '',
    '## 3. Cold-start proxies',
    '',
    coldStartSection(report.coldStart),
    '',
    '## 4. Memory',
    '',
    memorySection(report.httpLoad),
    '',
    '## 5. Cost model',
    '',
    costSection(report.cost),
    '',
    '## Profile: hot spots',
    '',
    profileSection(report.profile),
    '',
    findings,
    '',
  ].join('\n');
}

export async function writeReport(
  report: BenchReport,
  findings: string,
  paths: { readonly markdown: string; readonly json: string },
): Promise<void> {
  await writeFile(paths.markdown, renderMarkdown(report, findings));
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
}
