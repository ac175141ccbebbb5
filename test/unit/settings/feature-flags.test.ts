import { readFileSync } from 'node:fs';
import { FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';

const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8'),
).context;

describe('the CDK feature flags in cdk.json', () => {
  it('set every flag whose unconfigured behaviour differs from the recommended one, to the recommended value', () => {
    const needsDecision = Object.entries(FLAGS).filter(
      ([, flag]) =>
        JSON.stringify(flag.unconfiguredBehavesLike?.v2 ?? false) !== JSON.stringify(flag.recommendedValue),
    );
    expect(needsDecision.length).toBeGreaterThan(50);
    for (const [name, flag] of needsDecision) {
      expect(CDK_JSON_CONTEXT[name], name).toEqual(flag.recommendedValue);
    }
  });
});

describe('cdk.json', () => {
  it('holds no setting of the collector (the settings table has their defaults)', () => {
    const ours = Object.keys(CDK_JSON_CONTEXT).filter((key) => !key.startsWith('@'));
    expect(ours).toEqual([]);
  });
});
