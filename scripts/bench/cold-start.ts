import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { lambdaEvent } from '../../test/support/lambda-events';
import { progress, type Summary, summarize } from './stats';

/**
 * Part 3: cold-start proxies of the deployed handler bundle — the file `cdk synth` produces — its
 * size, and how long a fresh Node process takes to import it and answer its first request.
 * A fresh process cannot reach AWS here, so the first request is `GET /health`, which the handler
 * answers without touching a sink: the figure is module load + init + one trip through middy.
 */

export interface BundleComposition {
  /** npm package (or `lambda/`) → bytes it contributes to the minified output. */
  readonly name: string;
  readonly bytes: number;
}

export interface ColdStartResult {
  /** Where the measured bundle came from. */
  readonly source: 'cdk-synth' | 'cdk.out (fresh)' | 'esbuild (synth failed)';
  readonly bundlePath: string;
  /** The function's memory setting, from the synthesized template (else lib/'s default). */
  readonly memoryMb: number;
  readonly bundleBytes: number;
  readonly bundleGzipBytes: number;
  readonly sourceMapBytes: number | null;
  readonly runs: number;
  /** The function's logging config from the template (null: no template, or none set there). */
  readonly logFormat: string | null;
  readonly systemLogLevel: string | null;
  /** NODE_OPTIONS the template sets for the function (null: none); the "as deployed" runs use it. */
  readonly deployedNodeOptions: string | null;
  /** Process start → first answer, in the child's own clock (Node boot + import + first request). */
  readonly firstAnswerMs: Summary;
  readonly bootMs: Summary;
  readonly importMs: Summary;
  readonly firstRequestMs: Summary;
  /**
   * Import of the bundle + first request, per run (first answer − Node boot): the part of a cold
   * start the function's code decides; Lambda's runtime pays Node's own boot whatever the function.
   */
  readonly importAndFirstRequestMs: Summary;
  /** Spawn → exit, seen from the parent (adds process creation and teardown). */
  readonly wallMs: Summary;
  /** CPU time the child used up to its first answer (all threads): steadier than wall time on a busy machine. */
  readonly cpuMs: Summary;
  /** The same with NODE_OPTIONS=--enable-source-maps (what the stack deployed until e678523), for reference. */
  readonly firstAnswerWithSourceMapsMs: Summary;
  readonly composition: readonly BundleComposition[];
  readonly notes: readonly string[];
}

const REPO_ROOT = new URL('../../', import.meta.url);
/**
 * Synth output and profiles live outside the work tree: the linter and git never see them, and a
 * fresh synth is reused by the next run on this machine (it takes ~30 s).
 */
export const BENCH_SCRATCH = join(tmpdir(), 'clickstream-bench');
const repoPath = (path: string) => new URL(path, REPO_ROOT).pathname;

/** Same options as lib/ingestion-function.ts hands to NodejsFunction's local esbuild bundling. */
const BUNDLE_OPTIONS: BuildOptions = {
  entryPoints: [repoPath('lambda/handler.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'silent',
};

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `cdk synth` into `outDir`; resolves false (with the reason noted) if it fails. */
function synth(outDir: string, notes: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['cdk', 'synth', '--quiet', '--output', outDir], {
      cwd: repoPath('.'),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill(), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0)
        notes.push(`cdk synth failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
      resolve(code === 0);
    });
  });
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: {
    readonly Code?: { readonly S3Key?: string };
    readonly MemorySize?: number;
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
    readonly LoggingConfig?: { readonly LogFormat?: string; readonly SystemLogLevel?: string };
  };
}

interface FunctionAsset {
  readonly path: string;
  readonly memoryMb: number | undefined;
  readonly logFormat: string | null;
  readonly systemLogLevel: string | null;
  readonly nodeOptions: string | null;
}

/** The collector function's bundle: its Code.S3Key is `<asset hash>.zip`, the asset folder's name. */
function findFunctionAsset(outDir: string): FunctionAsset | undefined {
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as {
      Resources?: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      const variables = resource.Properties?.Environment?.Variables ?? {};
      const key = resource.Properties?.Code?.S3Key;
      if (resource.Type !== 'AWS::Lambda::Function' || !('CLICKSTREAM_STREAM_NAME' in variables)) continue;
      if (typeof key !== 'string') continue;
      const asset = join(outDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
      const logging = resource.Properties?.LoggingConfig;
      const nodeOptions = variables.NODE_OPTIONS;
      if (existsSync(asset)) {
        return {
          path: asset,
          memoryMb: resource.Properties?.MemorySize,
          logFormat: logging?.LogFormat ?? null,
          systemLogLevel: logging?.SystemLogLevel ?? null,
          nodeOptions: typeof nodeOptions === 'string' ? nodeOptions : null,
        };
      }
    }
  }
  return undefined;
}

/** The bundle to measure: a fresh cdk.out if there is one, else a synth of our own, else esbuild. */
async function locateBundle(notes: string[]): Promise<FunctionAsset & { source: ColdStartResult['source'] }> {
  const sources = ['lambda', 'lib', 'bin', 'package-lock.json', 'cdk.json'].map((path) => repoPath(path));
  const newestSource = Math.max(...sources.map(newestMtime));
  // A synth newer than every source it is built from is as good as a new one (and saves ~30 s).
  for (const [dir, label] of [
    [repoPath('cdk.out'), 'cdk.out (fresh)'],
    [join(BENCH_SCRATCH, 'cdk.out'), 'cdk-synth'],
  ] as const) {
    const manifest = join(dir, 'manifest.json');
    if (!existsSync(manifest) || statSync(manifest).mtimeMs <= newestSource) continue;
    const asset = findFunctionAsset(dir);
    if (asset !== undefined) return { ...asset, source: label };
  }
  const outDir = join(BENCH_SCRATCH, 'cdk.out');
  progress('cold start: cdk synth (offline) …');
  await rm(outDir, { recursive: true, force: true });
  if (await synth(outDir, notes)) {
    const asset = findFunctionAsset(outDir);
    if (asset !== undefined) return { ...asset, source: 'cdk-synth' };
    notes.push('cdk synth ran but no collector function asset was found in its template');
  }
  const fallback = join(BENCH_SCRATCH, 'bundle', 'index.mjs');
  await mkdir(join(BENCH_SCRATCH, 'bundle'), { recursive: true });
  await build({ ...BUNDLE_OPTIONS, outfile: fallback });
  notes.push('measured an esbuild bundle built with the stack’s bundling options instead');
  return {
    path: fallback,
    memoryMb: undefined,
    logFormat: null,
    systemLogLevel: null,
    nodeOptions: null,
    source: 'esbuild (synth failed)',
  };
}

/** Which packages the bytes of the bundle come from (an esbuild build with the stack's options). */
async function composition(): Promise<BundleComposition[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-bundle-'));
  try {
    const result = await build({ ...BUNDLE_OPTIONS, outfile: join(dir, 'index.mjs'), metafile: true });
    const bytes = new Map<string, number>();
    for (const output of Object.values(result.metafile?.outputs ?? {})) {
      for (const [input, info] of Object.entries(output.inputs)) {
        const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
        const name = match?.[1] ?? (input.startsWith('lambda/') ? 'lambda/ (our code)' : input);
        bytes.set(name, (bytes.get(name) ?? 0) + info.bytesInOutput);
      }
    }
    return [...bytes.entries()]
      .map(([name, size]) => ({ name, bytes: size }))
      .sort((a, b) => b.bytes - a.bytes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The stack's default memory, read from lib/ when no template says it. */
function defaultMemoryMb(notes: string[]): number {
  const source = readFileSync(repoPath('lib/ingestion-function.ts'), 'utf8');
  const match = /memorySize: props\.memorySize \?\? (\d+)/.exec(source);
  notes.push('memory size read from lib/ingestion-function.ts (no template)');
  return match === null ? 512 : Number(match[1]);
}

const RUNNER = `
const started = performance.now();
const { handler } = await import(process.argv[2]);
const imported = performance.now();
const result = await handler(JSON.parse(process.argv[3]), {
  awsRequestId: 'cold-start', functionName: 'clickstream-collector', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:clickstream-collector',
  memoryLimitInMB: '512', logGroupName: '/aws/lambda/clickstream', logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 10000,
});
const answered = performance.now();
const cpu = process.cpuUsage();
process.stdout.write('\\nBENCH_RESULT ' + JSON.stringify({ boot: started, import: imported - started,
  request: answered - imported, total: answered, cpu: (cpu.user + cpu.system) / 1000,
  status: result.statusCode }) + '\\n');
`;

interface RunnerResult {
  readonly boot: number;
  readonly import: number;
  readonly request: number;
  readonly total: number;
  /** CPU time of the whole process up to the answer (all threads), ms. */
  readonly cpu: number;
  readonly status: number;
  readonly wall: number;
}

function runOnce(runner: string, bundle: string, nodeOptions: string | null): Promise<RunnerResult> {
  const event = JSON.stringify(lambdaEvent('function-url', { method: 'GET', path: '/health' }));
  // The function's own environment (lib/ingestion-function.ts), no credentials: /health needs none.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'clickstream-collector',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    CLICKSTREAM_APP_IDS: 'my_app',
    CLICKSTREAM_STREAM_NAME: 'clickstream-bench',
    CLICKSTREAM_ARCHIVE_BUCKET: 'clickstream-bench',
    POWERTOOLS_SERVICE_NAME: 'clickstream-collector',
    POWERTOOLS_METRICS_NAMESPACE: 'Clickstream/Collector',
    ...(nodeOptions === null ? {} : { NODE_OPTIONS: nodeOptions }),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [runner, pathToFileURL(bundle).href, event], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => {
      const wall = performance.now() - started;
      const line = stdout.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`cold-start run failed (exit ${code}): ${stderr.trim().slice(0, 500)}`));
        return;
      }
      resolve({ ...(JSON.parse(line.slice('BENCH_RESULT '.length)) as Omit<RunnerResult, 'wall'>), wall });
    });
  });
}

export async function runColdStart(options: { readonly runs: number }): Promise<ColdStartResult> {
  const notes: string[] = [];
  const { path, source, memoryMb, logFormat, systemLogLevel, nodeOptions } = await locateBundle(notes);
  const withMaps = [nodeOptions ?? '', '--enable-source-maps'].join(' ').trim();
  const bytes = await readFile(path);
  const mapPath = `${path}.map`;
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  const runner = join(dir, 'runner.mjs');
  await writeFile(runner, RUNNER);
  try {
    const plain: RunnerResult[] = [];
    const mapped: RunnerResult[] = [];
    // One throw-away run of each, so the OS file cache is warm for all counted runs alike.
    await runOnce(runner, path, nodeOptions);
    await runOnce(runner, path, withMaps);
    for (let run = 0; run < options.runs; run++) {
      plain.push(await runOnce(runner, path, nodeOptions));
      mapped.push(await runOnce(runner, path, withMaps));
    }
    const bad = [...plain, ...mapped].find((run) => run.status !== 200);
    if (bad !== undefined) throw new Error(`GET /health answered ${bad.status} in a cold-start run`);
    const result: ColdStartResult = {
      source,
      bundlePath: path.startsWith(BENCH_SCRATCH)
        ? `$TMPDIR/${relative(tmpdir(), path)}`
        : relative(repoPath('.'), path),
      memoryMb: memoryMb ?? defaultMemoryMb(notes),
      logFormat,
      systemLogLevel,
      deployedNodeOptions: nodeOptions,
      bundleBytes: bytes.length,
      bundleGzipBytes: gzipSync(bytes, { level: 9 }).length,
      sourceMapBytes: existsSync(mapPath) ? statSync(mapPath).size : null,
      runs: options.runs,
      firstAnswerMs: summarize(plain.map((run) => run.total)),
      bootMs: summarize(plain.map((run) => run.boot)),
      importMs: summarize(plain.map((run) => run.import)),
      firstRequestMs: summarize(plain.map((run) => run.request)),
      importAndFirstRequestMs: summarize(plain.map((run) => run.total - run.boot)),
      wallMs: summarize(plain.map((run) => run.wall)),
      cpuMs: summarize(plain.map((run) => run.cpu)),
      firstAnswerWithSourceMapsMs: summarize(mapped.map((run) => run.total)),
      composition: await composition(),
      notes,
    };
    progress(
      `cold start: ${(result.bundleBytes / 1024).toFixed(0)} KiB bundle, import + first request ${result.importAndFirstRequestMs.median.toFixed(0)} ms, first answer ${result.firstAnswerMs.median.toFixed(0)} ms (${result.firstAnswerWithSourceMapsMs.median.toFixed(0)} ms with source maps)`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
