import Handlebars from 'handlebars';
import type { runColdStart } from './cold-start';
import type { measureRecords } from './consumer';
import { ASSUMED, billedMs, configurations, type Estimate, type Setup, type Workload } from './cost-model';
import { CAOA_COST, PRICES_NOTE, SECONDS_PER_MONTH } from './prices';
import { count, mib, money, range, type Summary, summarize } from './stats';
import type { profileHandler, VariantResult } from './warm-cpu';
import type { WorstCaseResult } from './worst-cases';

/** Everything one run measured (benchmarks.json holds it, with the targets). */
export interface Results {
  readonly generatedAt: string;
  readonly seconds: number;
  readonly machine: string;
  readonly plan: { readonly rounds: number; readonly roundMs: number; readonly worstRuns: number };
  readonly warm: readonly VariantResult[];
  readonly profile: Awaited<ReturnType<typeof profileHandler>>;
  readonly cold: Awaited<ReturnType<typeof runColdStart>>;
  readonly worst: readonly WorstCaseResult[];
  readonly records: Awaited<ReturnType<typeof measureRecords>>;
}

/** A target, and why it passed or failed, line by line (the report lists the lines of a failure). */
export type Target = { description: string; measured: string; pass: boolean; reasons: string[] };
const target = (description: string, measured: string, pass: boolean, reasons: string[]): Target => ({
  ...{ description, measured, pass, reasons },
});

const RATES = [10, 100, 1000] as const;
const MEMORY_MB = [128, 256, 512, 1024];
/** Lambda counts memory in MiB ("512 MB"): the memory target is read the same way. */
const MB = 1024 * 1024;
/** Each rate's cost target: a multiple of one of CAoA's published figures. */
const GOALS = { 10: [0.35, 'on-demand'], 100: [0.85, 'on-demand'], 1000: [1.3, 'provisioned'] } as const;
const spots = (list: ReadonlyArray<{ name: string; percent: number }>) =>
  list.map((spot) => `${spot.name} ${spot.percent.toFixed(0)} %`).join(', ');
const tenEvents = (results: Results) =>
  results.warm.find((variant) => variant.events === 10 && !variant.gzip) as VariantResult;

/** This run's figures, scaled to CAoA's request (2 KB of 10 events), with the model's assumptions. */
function costWorkload(results: Results): Workload {
  const ten = tenEvents(results);
  const { records } = results;
  const recordBytes = ten.recordBytes + ((2048 - ten.bodyBytes) * ten.embeddedBytes) / ten.bodyBytes;
  const scale = recordBytes / records.recordBytes;
  return {
    ...ASSUMED,
    ...{ requestBodyBytes: 2048, recordBytes, collectorCpuMs: ten.handlerUs.median / 1000 },
    coldStartCpuMs: results.cold.comparisons.at(-1)?.collectorCpuMs.median ?? Number.NaN,
    archiveBytes: records.archiveBytesPerRecord * scale,
    tableBytes: records.tableBytesPerRecord * scale,
    consumer: { ...ASSUMED.consumer, cpuMsPerRecord: records.consumerCpuMsPerRecord },
  };
}

/** arm64, managed CORS, and the smallest memory size whose 90 % holds every worst case's peak. */
function baseSetup(results: Results) {
  const peak = Math.max(...results.worst.map((worst) => worst.peakRssBytes));
  const memoryMb = MEMORY_MB.find((size) => peak <= 0.9 * size * MB) ?? 2048;
  return { memoryMb, arch: 'arm64', managedCors: true } as const;
}
const cheapest = (rate: number, w: Workload, base: Omit<Setup, 'endpoint' | 'streamMode'>) =>
  configurations(rate, base, w)[0] as Estimate;

export function checkTargets(results: Results): Target[] {
  const { cold, worst, profile } = results;
  const ten = tenEvents(results);
  const { node, ratio } = cold.comparisons.at(-1) ?? { node: 'none', ratio: summarize([]) };
  const slowest = (pick: (x: WorstCaseResult) => Summary) => Math.max(...worst.map((x) => pick(x).median));
  const peak = Math.max(...worst.map((x) => x.peakRssBytes));
  const wrong = worst.filter((x) => x.status !== x.expectedStatus).map((x) => x.id);
  const rewritten = worst.find((x) => x.id === 'rewritten-gzip') as WorstCaseResult;
  const limit = 1.5 * rewritten.bodyBytes + 1024;
  const w = costWorkload(results);
  return [
    target(
      'warm CPU, 10-event request: handler ≤ 1.5× the irreducible baseline',
      `${range(ten.ratio, 2)}×`,
      ten.ratio.median <= 1.5,
      [
        `handler ${range(ten.handlerUs)} µs of CPU per request, baseline ${range(ten.baselineUs)} µs`,
        `the handler's self time by module: ${spots(profile.modules)}; by function: ${spots(profile.functions)}`,
      ],
    ),
    target(
      `cold start ≤ 1.3× the Kinesis-client floor, Node ${node}`,
      `${range(ratio, 2)}×`,
      ratio.median <= 1.3,
      [
        ...cold.comparisons.map(
          (c) => `Node ${c.node}: ${range(c.collectorCpuMs)} ms, floor ${range(c.floorCpuMs)}`,
        ),
        ...cold.extras.map((extra) => `floor ${extra.name}: ${range(extra.added)} ms of CPU over the floor`),
      ],
    ),
    target(
      'worst-case inputs: each answered as specified, in < 1 s of CPU',
      `slowest ${slowest((x) => x.cpuMs).toFixed(0)} ms (wall ${slowest((x) => x.ms).toFixed(0)} ms)${wrong.length > 0 ? `; wrong status: ${wrong.join(', ')}` : ''}`,
      slowest((x) => x.cpuMs) < 1000 && wrong.length === 0,
      worst.map((x) => `${x.id}: ${x.status} in ${range(x.cpuMs, 0)} ms of CPU, ${range(x.ms, 0)} ms wall`),
    ),
    target(
      'worst-case inputs: peak memory < 200 MB each (MiB, as Lambda counts)',
      mib(peak),
      peak < 200 * MB,
      worst.map((x) => `${x.id}: ${mib(x.peakRssBytes)}`),
    ),
    target(
      'rewritten gzip batch: stream bytes ≤ 1.5× body bytes + 1 KB',
      `${count(rewritten.streamBytes)} B for a ${count(rewritten.bodyBytes)} B body (≤ ${count(limit)})`,
      rewritten.streamBytes <= limit,
      ['the rewritten record holds the kept events gzip + base64, in the record envelope'],
    ),
    ...RATES.map((rate) => {
      const best = cheapest(rate, w, baseSetup(results));
      const [factor, mode] = GOALS[rate];
      const caoa = CAOA_COST[mode][rate];
      return target(
        `cost at ${count(rate)} requests/s ≤ ${factor}× CAoA's ${mode} $${caoa} (${money(factor * caoa)})`,
        `${money(best.total)}: ${(best.total / caoa).toFixed(2)}× (${best.setup.endpoint}, ${best.setup.streamMode})`,
        best.total <= factor * caoa,
        [
          `the floor alone (Lambda requests + stream) is ${money(best.floor)}: ${(best.floor / caoa).toFixed(2)}× CAoA's`,
          ...Object.entries(best.items).map(([item, value]) => `${item}: ${money(value)}`),
          `${money(best.total - factor * caoa)} over; section 4's levers show what each choice moves`,
        ],
      );
    }),
  ];
}

/** What the template reads: the results, the targets and the cost model's tables. */
function view(results: Results, targets: readonly Target[]) {
  const w = costWorkload(results);
  const base = baseSetup(results);
  /** The cheapest configuration that `pick` allows, with the workload or setup changed, at each rate. */
  const lever = (
    label: string,
    change: Partial<Workload>,
    setup: Partial<Setup>,
    pick = (_: Estimate) => true,
  ) => {
    const all = RATES.map((rate) => configurations(rate, { ...base, ...setup }, { ...w, ...change }));
    return { label, totals: all.map((estimates) => estimates.find(pick)?.total) };
  };
  const on = (endpoint: string) => (e: Estimate) => e.setup.endpoint === endpoint;
  const web = { preflightShare: 1 };
  const peak = Math.max(...results.worst.map((x) => x.peakRssBytes));
  const cost = RATES.map((rate) => {
    const e = cheapest(rate, w, base);
    const perMillion = (e.total * 1e6) / (rate * SECONDS_PER_MONTH);
    const [factor, mode] = GOALS[rate];
    const versus = `${(e.total / CAOA_COST[mode][rate]).toFixed(2)}× ${mode} (≤ ${factor})`;
    return { ...e, perMillion, perMillionEvents: perMillion / 10, timesFloor: e.total / e.floor, versus };
  });
  return {
    ...results,
    ...{ targets, failures: targets.filter((t) => !t.pass), pricesNote: PRICES_NOTE, workload: w, cost },
    ...{ modules: spots(results.profile.modules), functions: spots(results.profile.functions) },
    baseRss: Math.min(...results.worst.map((x) => x.rssBeforeBytes)),
    assumed: JSON.stringify(ASSUMED)
      .replace(/[{}"]/g, '')
      .replace(/[:,]/g, (sign) => `${sign} `),
    caoa: RATES.map((rate) => `$${CAOA_COST['on-demand'][rate]} / $${CAOA_COST.provisioned[rate]}`),
    levers: [
      ...MEMORY_MB.map((memoryMb) => {
        const safety = memoryMb >= base.memoryMb ? 'safe' : `unsafe: worst case ${mib(peak)}`;
        const cold = `cold start ${(billedMs(w.coldStartCpuMs, 0, memoryMb) / 1000).toFixed(2)} s`;
        const warm = `${billedMs(w.collectorCpuMs, w.putRecordsWaitMs, memoryMb)} ms per request`;
        return lever(`${memoryMb} MB (${safety}; ${cold}, ${warm})`, {}, { memoryMb });
      }),
      lever('x86_64 instead of arm64', {}, { arch: 'x86_64' }),
      lever('an on-demand stream', {}, {}, (e) => e.setup.streamMode === 'on-demand'),
      lever('an HTTP API endpoint', {}, {}, on('http-api')),
      ...[5, 20].map((wait) => lever(`PutRecords wait ${wait} ms, not 10`, { putRecordsWaitMs: wait }, {})),
      lever('all web; function URL, preflights invoke it', web, { managedCors: false }, on('function-url')),
      lever('all web; the function URL answers preflights', web, {}, on('function-url')),
      lever('all web; the HTTP API answers preflights', web, {}, on('http-api')),
    ],
  };
}

const digitsOf = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
const helpers: Record<string, Handlebars.HelperDelegate> = {
  ...{ count: (value: number) => count(value), money: (value: number) => money(value), mib },
  range: (value: Summary, digits: unknown) => range(value, digitsOf(digits, 1)),
  fixed: (value: number, digits: unknown) => value.toFixed(digitsOf(digits, 0)),
  kib: (value: number) => `${count(value / 1024)} KiB`,
  ratio: (value: number, of: unknown) => (value / digitsOf(of, Number.NaN)).toFixed(2),
};

/** Fills the Markdown template (Handlebars; `strict`: a name the view lacks is a bug in the bench). */
export function render(template: string, results: Results, targets: readonly Target[]): string {
  const handlebars = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) handlebars.registerHelper(name, helper);
  return handlebars.compile(template, { noEscape: true, strict: true })(view(results, targets));
}
