import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How the functions are bundled, in one place: the stack's `NodejsFunction`s
 * (lib/ingestion-function.ts, lib/archive-consumer.ts) and the cold-start benchmark
 * (scripts/bench/cold-start.ts) build the same files from it.
 */
const ESM_BUNDLING = {
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  /** AWS SDK v3 pieces still call `require`; give the ESM bundle one. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * The collector.
 *
 * Every bundled byte is parsed at each cold start, so the modules a request rarely needs are left
 * out of the bundle and loaded on first use:
 * - the S3 client (it serves only the fallback and the quarantine) and the Secrets Manager client
 *   (only with a secret-signed auth setup) come from the AWS SDK of the Lambda runtime;
 * - so do the credential providers after the first of the SDK's default chain: Lambda hands the
 *   function its role's credentials in the environment, which the first provider reads, so the
 *   SSO, profile, process, web-identity, container and instance-metadata providers (and the STS
 *   and SSO clients they bring) are never loaded there;
 * - the Public Suffix List of `tldts` (only with a wildcard CORS origin) ships beside the bundle,
 *   in the asset's own `node_modules` (see `sidePackageFiles`).
 * Nothing in the function may import them statically: a bundler hoists every import of an external
 * module to the top of the bundle, where it would load at start (test/infra/handler-bundle.test.ts
 * checks that the bundle imports them only with `import()`).
 */
export const COLLECTOR_BUNDLING = {
  ...ESM_BUNDLING,
  externalModules: [
    '@aws-sdk/client-s3',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/credential-provider-http',
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-login',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-web-identity',
    '@aws-sdk/nested-clients',
    '@aws-sdk/token-providers',
    '@smithy/credential-provider-imds',
    'tldts',
  ],
} as const;

/** A file to copy from an installed package into the asset, or to write there. */
type SideFile =
  | { readonly to: string; readonly from: string }
  | { readonly to: string; readonly text: string };

const requireHere = createRequire(import.meta.url);

/**
 * The external packages the function carries in `node_modules/` beside `index.mjs`, each as the
 * files that make it up: `tldts` publishes a self-contained, minified ES module build, copied
 * with its licence and a package.json pointing at it (version from the lock file's install).
 */
function sidePackageFiles(): SideFile[] {
  const root = dirname(requireHere.resolve('tldts/package.json'));
  const { version, license } = requireHere('tldts/package.json') as { version: string; license: string };
  const manifest = { name: 'tldts', version, license, type: 'module', exports: './index.mjs' };
  return [
    { from: join(root, 'dist', 'index.esm.min.js'), to: 'node_modules/tldts/index.mjs' },
    { from: join(root, 'LICENSE'), to: 'node_modules/tldts/LICENSE' },
    { text: JSON.stringify(manifest), to: 'node_modules/tldts/package.json' },
  ];
}

/** Writes the side packages into `dir`, as the stack's `afterBundling` hook does (for the benchmark). */
export function writeSidePackages(dir: string): void {
  for (const file of sidePackageFiles()) {
    const target = join(dir, file.to);
    mkdirSync(dirname(target), { recursive: true });
    if ('from' in file) copyFileSync(file.from, target);
    else writeFileSync(target, file.text);
  }
}

/** `sidePackageFiles` as the shell commands of a CDK `afterBundling` hook writing into `outputDir`. */
function sidePackageCommands(outputDir: string): string[] {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  return sidePackageFiles().map((file) => {
    const target = join(outputDir, file.to);
    const write =
      'from' in file
        ? `cp ${quote(file.from)} ${quote(target)}`
        : `printf %s ${quote(file.text)} > ${quote(target)}`;
    return `mkdir -p ${quote(dirname(target))} && ${write}`;
  });
}

/**
 * The `bundling` of a `NodejsFunction`: the collector's (its externals, and the side packages
 * written beside the bundle), or the archive consumer's, which bundles even its S3 client: its
 * cold starts are rare and no client waits on them, so the versions tested are the ones deployed.
 */
export function functionBundling(kind: 'collector' | 'archive-consumer'): nodejs.BundlingOptions {
  const collector = kind === 'collector';
  return {
    format: nodejs.OutputFormat.ESM,
    target: ESM_BUNDLING.target,
    mainFields: [...ESM_BUNDLING.mainFields],
    minify: ESM_BUNDLING.minify,
    sourceMap: true,
    banner: ESM_BUNDLING.banner,
    // esbuild's warnings and errors, without its size summary at every synth.
    logLevel: nodejs.LogLevel.WARNING,
    externalModules: collector ? [...COLLECTOR_BUNDLING.externalModules] : [],
    ...(collector && {
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir: string, outputDir: string) => sidePackageCommands(outputDir),
      },
    }),
    forceDockerBundling: false,
  };
}
