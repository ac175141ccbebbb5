import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSettingsDocs, withSettingsDocs } from '../../../settings/docs';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe("the README's configuration tables", () => {
  it('are what `npm run docs` renders from the settings table', () => {
    expect(withSettingsDocs(README) === README, 'README.md is stale: run `npm run docs`').toBe(true);
  });

  it.each(Object.keys(renderSettingsDocs()))('include the generated %s block', (name) => {
    expect(README).toContain(
      `<!-- settings:${name} -->\n${renderSettingsDocs()[name]}\n<!-- /settings:${name} -->`,
    );
  });

  it('would be rewritten if a row drifted from the table', () => {
    const drifted = README.replace('| `CLICKSTREAM_PATH` | `/collect` |', '| `CLICKSTREAM_PATH` | `/c` |');
    expect(drifted).not.toBe(README);
    expect(withSettingsDocs(drifted)).toBe(README);
  });
});
