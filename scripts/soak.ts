import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { quietSdkNodeVersionNotice } from '../local/local-config';
import { DEFAULT_SOAK_OPTIONS, formatSoakReport, runSoak, type SoakOptions } from './soak-run';

/**
 * `npm run soak [-- --requests N --concurrency C --max-rss-growth-mb M --max-heap-growth-mb H
 * --max-seconds S]` (or SOAK_REQUESTS, SOAK_CONCURRENCY, SOAK_MAX_RSS_GROWTH_MB,
 * SOAK_MAX_HEAP_GROWTH_MB, SOAK_MAX_SECONDS). The RSS bound defaults to 64 MB + 20 KB per request
 * answered 200 (the in-process Kinesis emulator keeps every record in memory). Loopback only;
 * exits 0 when every acknowledged event was found and the bounds held, 1 otherwise.
 */

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`${name}: expected a positive integer, got "${value}"`);
  return parsed;
}

function soakOptions(argv: readonly string[], env: NodeJS.ProcessEnv): SoakOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      requests: { type: 'string', short: 'n' },
      concurrency: { type: 'string', short: 'c' },
      'max-rss-growth-mb': { type: 'string' },
      'max-heap-growth-mb': { type: 'string' },
      'max-seconds': { type: 'string' },
    },
  });
  const rssBound = values['max-rss-growth-mb'] ?? env.SOAK_MAX_RSS_GROWTH_MB;
  return {
    requests: positiveInt('--requests', values.requests ?? env.SOAK_REQUESTS, DEFAULT_SOAK_OPTIONS.requests),
    concurrency: positiveInt(
      '--concurrency',
      values.concurrency ?? env.SOAK_CONCURRENCY,
      DEFAULT_SOAK_OPTIONS.concurrency,
    ),
    ...(rssBound === undefined ? {} : { maxRssGrowthMb: positiveInt('--max-rss-growth-mb', rssBound, 0) }),
    maxHeapGrowthMb: positiveInt(
      '--max-heap-growth-mb',
      values['max-heap-growth-mb'] ?? env.SOAK_MAX_HEAP_GROWTH_MB,
      DEFAULT_SOAK_OPTIONS.maxHeapGrowthMb,
    ),
    maxSeconds: positiveInt(
      '--max-seconds',
      values['max-seconds'] ?? env.SOAK_MAX_SECONDS,
      DEFAULT_SOAK_OPTIONS.maxSeconds,
    ),
  };
}

async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  const options = soakOptions(process.argv.slice(2), process.env);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `soak: ${options.requests} requests at concurrency ${options.concurrency}; node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 1024 ** 3)} GB RAM`,
  );
  const report = await runSoak({ ...options, log: (line) => console.log(`soak: ${line}`) });
  console.log(formatSoakReport(report));
  process.exitCode = report.passed ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
