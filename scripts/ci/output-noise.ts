import { stripVTControlCharacters } from 'node:util';

/**
 * What counts as noise in a test run's output, for scripts/ci/check-test-run.ts. Pure,
 * unit-tested. A line that repeats is almost always noise (a notice each process prints, a
 * library's progress line); a warning that repeats hides the one that matters among its copies.
 */

export interface NoiseRule {
  readonly name: string;
  readonly pattern: RegExp;
}

/** Lines that were noise before and must not come back. */
export const KNOWN_NOISE: readonly NoiseRule[] = [
  {
    name: "the AWS SDK's Node-version notice (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true turns it off)",
    pattern: /NodeVersionSupportWarning/,
  },
  { name: "esbuild's bundle summary (the NodejsFunction's bundling logLevel)", pattern: /^\s*⚡ Done in \d/ },
  {
    name: "the CDK's feature-flag notice (cdk.json's context)",
    pattern: /feature flags? (are|is) not configured/i,
  },
];

/** How often the same line may appear before it counts as noise. */
export const MAX_REPEATS = 3;

const WARNING = /\bwarn(ing)?\b/i;

/** The problems found in `output`, one sentence each; empty when the output is clean. */
export function findNoise(output: string, maxRepeats: number = MAX_REPEATS): string[] {
  const lines = stripVTControlCharacters(output)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const problems: string[] = [];
  for (const rule of KNOWN_NOISE) {
    const hits = lines.filter((line) => rule.pattern.test(line));
    if (hits.length > 0) problems.push(`${rule.name}: ${hits.length} line(s), first: "${hits[0]?.trim()}"`);
  }
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const [line, count] of counts) {
    if (count > maxRepeats) problems.push(`a line printed ${count} times: "${line.trim()}"`);
    else if (count > 1 && WARNING.test(line))
      problems.push(`a warning printed ${count} times: "${line.trim()}"`);
  }
  return problems;
}
