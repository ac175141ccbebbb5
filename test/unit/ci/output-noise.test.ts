import { describe, expect, it } from 'vitest';
import { findNoise, MAX_REPEATS } from '../../../scripts/ci/output-noise';

/** The AWS SDK's notice as Node printed it, once per process, on Node 20. */
const SDK_NOTICE = (pid: number) =>
  [
    `(node:${pid}) Warning: NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)`,
    'versions published after the first week of January 2027',
    'will require node >=22. You are running node v20.20.2.',
    '',
    'More information can be found at: https://a.co/c895JFp',
    '(Use `node --trace-warnings ...` to show where the warning was created)',
  ].join('\n');

const ESBUILD = [
  'Bundling asset ClickstreamCollector/Ingestion/Function/Code/Stage...',
  '  ...3631fc9637778c871f8b62193a53a537f3031bbed5d8f-building/index.mjs  856.8kb',
  '⚡ Done in 273ms',
].join('\n');

const CLEAN = [
  '\u001b[32m✓\u001b[39m \u001b[30m\u001b[42m unit \u001b[49m\u001b[39m test/unit/local/tail-view.test.ts (9 tests) 5ms',
  ' ✓  integration  test/integration/local/tail.test.ts (6 tests) 9383ms',
  '',
  '',
  ' Test Files  66 passed (66)',
  '      Tests  882 passed (882)',
].join('\n');

describe('test-run output noise', () => {
  it('finds nothing in a run that prints only its results', () => {
    expect(findNoise(CLEAN)).toEqual([]);
  });

  it("flags the AWS SDK's Node-version notice, even once", () => {
    const problems = findNoise(`${CLEAN}\n${SDK_NOTICE(3671)}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Node-version notice');
  });

  it("flags esbuild's bundle summary", () => {
    expect(findNoise(ESBUILD)).toEqual([expect.stringContaining("esbuild's bundle summary")]);
  });

  it('flags a line printed more than the allowed number of times, whatever it says', () => {
    const repeated = Array.from({ length: MAX_REPEATS + 1 }, () => 'connected').join('\n');
    expect(findNoise(repeated)).toEqual([`a line printed ${MAX_REPEATS + 1} times: "connected"`]);
    expect(findNoise(Array.from({ length: MAX_REPEATS }, () => 'connected').join('\n'))).toEqual([]);
  });

  it('flags a warning printed twice', () => {
    const warning = 'WARNING The stack has no region (Annotation)';
    expect(findNoise(`${warning}\n${warning}`)).toEqual([`a warning printed 2 times: "${warning}"`]);
  });

  it('ignores colours when comparing lines', () => {
    expect(findNoise('\u001b[33mwarning: x\u001b[39m\nwarning: x')).toEqual([
      'a warning printed 2 times: "warning: x"',
    ]);
  });

  it('flags the output of the test run before the notice was turned off (18 processes)', () => {
    const pids = Array.from({ length: 18 }, (_, index) => 5000 + index);
    const problems = findNoise(`${CLEAN}\n${pids.map(SDK_NOTICE).join('\n')}`);
    expect(problems).toContainEqual(expect.stringMatching(/Node-version notice .*: 18 line\(s\)/));
    expect(problems).toContainEqual(
      'a line printed 18 times: "versions published after the first week of January 2027"',
    );
  });
});
