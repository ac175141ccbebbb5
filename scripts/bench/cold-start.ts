import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { COLLECTOR_BUNDLING, writeSidePackages } from '../../lib/function-bundling';
import { lambdaEvent } from '../../test/support/lambda-events';
import { progress, summarize } from './stats';
import { BENCH_ENV } from './warm-cpu';

/**
 * Cold start: a fresh `node` imports a bundle and answers `GET /health` (no AWS needed): the
 * collector against the floor any collector on the AWS SDK pays, alternating, on Node 20 and 24.
 */

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

const FLOOR = `import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
const client = new KinesisClient({ region: process.env.AWS_REGION, requestHandler: new NodeHttpHandler() });
export const handler = async () => ({ statusCode: client ? 200 : 500 });`;

/** One dependency of the collector at a time, on top of the floor: what each would save if it went. */
const EXTRAS: Record<string, string> = {
  '+ S3 client': "import { S3Client } from '@aws-sdk/client-s3'; globalThis.x = new S3Client({});",
  '+ jose': "import * as jose from 'jose'; globalThis.x = jose;",
  '+ Powertools': "import { Logger } from '@aws-lambda-powertools/logger'; globalThis.x = new Logger();",
  '+ SSM registry':
    "import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'; import { SSMClient } from '@aws-sdk/client-ssm'; globalThis.x = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });",
  '+ tldts': "import { getPublicSuffix } from 'tldts'; globalThis.x = getPublicSuffix;",
};

/** The collector's bundling (lib/function-bundling.ts), as its NodejsFunction hands it to esbuild. */
const { banner, externalModules, mainFields, ...STACK } = COLLECTOR_BUNDLING;
const OPTIONS: BuildOptions = {
  ...STACK,
  bundle: true,
  platform: 'node',
  mainFields: [...mainFields],
  external: [...externalModules],
  banner: { js: banner },
  logLevel: 'silent',
  absWorkingDir: ROOT,
};

/**
 * Builds `entry` (a file, or module source) as the stack does, with the side packages beside it;
 * returns its size and largest packages. `inline` bundles the stack's external modules too, as
 * the extras must: each measures what one dependency costs when it is parsed at start.
 */
export async function bundle(entry: { file: string } | { source: string }, outfile: string, inline = false) {
  const from =
    'file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.source, resolveDir: ROOT } };
  const external = inline ? [] : OPTIONS.external;
  const result = await build({ ...from, ...OPTIONS, external, metafile: true, outfile });
  writeSidePackages(dirname(outfile));
  const packages = new Map<string, number>();
  for (const [path, info] of Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'our code';
    packages.set(name, (packages.get(name) ?? 0) + info.bytesInOutput);
  }
  const bytes = [...packages.values()].reduce((sum, size) => sum + size, 0);
  return { bytes, packages: [...packages].sort((a, b) => b[1] - a[1]).slice(0, 6) };
}

/** The Lambda runtime's Node.js, as CI fetches it (scripts/ci/fetch-node.sh, cached, integrity-checked). */
async function lambdaNode(): Promise<{ version: string; path: string } | { error: string }> {
  try {
    const path = (await run('bash', [join(ROOT, 'scripts/ci/fetch-node.sh')])).stdout.trim();
    return { version: (await run(path, ['--version'])).stdout.trim(), path };
  } catch (error) {
    return { error: `scripts/ci/fetch-node.sh failed: ${String(error).split('\n')[0]}` };
  }
}

// In the fresh process: import + first request, timed by its own clock, and the CPU it used.
const RUNNER = `const started = performance.now(); const cpu = process.cpuUsage();
const { handler } = await import(process.argv[1]);
const result = await handler(JSON.parse(process.argv[2]), { awsRequestId: 'cold', functionName: 'collector' });
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, status: result.statusCode }));`;
const HEALTH = JSON.stringify(lambdaEvent('function-url', { method: 'GET', path: '/health' }));
const ENV = { PATH: process.env.PATH ?? '', ...BENCH_ENV, POWERTOOLS_METRICS_DISABLED: 'true' };
type Run = { readonly ms: number; readonly cpuMs: number };

async function coldRun(node: string, path: string): Promise<Run> {
  const args = ['--input-type=module', '-e', RUNNER, pathToFileURL(path).href, HEALTH];
  const result = JSON.parse((await run(node, args, { env: ENV })).stdout.trim().split('\n').at(-1) ?? '');
  if (result.status !== 200) throw new Error(`${path} answered ${result.status} to GET /health`);
  return result;
}

/** `runs` pairs of runs of a and b, which one goes first alternating; ratios per pair, on CPU time. */
async function compare(node: string, a: string, b: string, runs: number) {
  const pairs: Array<[Run, Run]> = [];
  for (const path of [a, b]) await coldRun(node, path); // warms the file cache for both
  for (let index = 0; index < runs; index++) {
    const first = await coldRun(node, index % 2 === 0 ? a : b);
    const second = await coldRun(node, index % 2 === 0 ? b : a);
    pairs.push(index % 2 === 0 ? [first, second] : [second, first]);
  }
  const of = (pick: (x: Run, y: Run) => number) => summarize(pairs.map(([x, y]) => pick(x, y)));
  const cpu = { collectorCpuMs: of((x) => x.cpuMs), floorCpuMs: of((_, y) => y.cpuMs) };
  const ratios = { ratio: of((x, y) => x.cpuMs / y.cpuMs), wallRatio: of((x, y) => x.ms / y.ms) };
  return { ...cpu, ...ratios, added: of((x, y) => x.cpuMs - y.cpuMs) };
}

export async function runColdStart(scratch: string, options: { readonly runs: number }) {
  const [collectorPath, floorPath] = [join(scratch, 'collector.mjs'), join(scratch, 'floor.mjs')];
  const collector = await bundle({ file: join(ROOT, 'lambda/handler.ts') }, collectorPath);
  // The floor as any collector on the SDK would ship it: the Kinesis client, its whole default chain.
  const floor = await bundle({ source: FLOOR }, floorPath, true);
  const modern = await lambdaNode();
  const nodes = [
    [process.version, process.execPath],
    ...('path' in modern ? [[modern.version, modern.path]] : []),
  ];
  const comparisons = [];
  for (const [node = '', path = ''] of nodes) {
    const result = await compare(path, collectorPath, floorPath, options.runs);
    comparisons.push({ node, ...result });
    progress(`cold start on Node ${node}: ${result.ratio.median.toFixed(2)}× the floor`);
  }
  const extras = [];
  for (const [name, source] of Object.entries(EXTRAS)) {
    const path = join(scratch, `extra-${extras.length}.mjs`);
    await bundle({ source: `${FLOOR}\n${source}` }, path, true);
    const { added } = await compare(nodes.at(-1)?.[1] ?? '', path, floorPath, options.runs);
    extras.push({ name, added });
  }
  const sizes = { bundleBytes: collector.bytes, floorBytes: floor.bytes, packages: collector.packages };
  return { ...sizes, comparisons, extras, node24Error: 'error' in modern ? modern.error : null };
}
