import { App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { addCollectorStack } from '../../bin/collector-app';
import {
  acknowledgements,
  CONFIGURATIONS,
  type ConfigurationName,
  synthesize,
  WITHOUT_BUNDLING,
} from './support';

/**
 * The warnings synth may print, by deployment: each one a documented trade-off of that
 * configuration. Any other warning or error in synth's report fails the test below.
 */
const EXPECTED_SYNTH_WARNINGS: Partial<Record<ConfigurationName, readonly RegExp[]>> = {
  albPlain: [/^WARNING The stack has no region, so ALB access-log delivery is granted to logdelivery\./],
};

/** The warning and error lines of synth's validation report. */
function reportedProblems(synthOutput: readonly string[]): string[] {
  return synthOutput.flatMap((text) => text.split('\n')).filter((line) => /^\s*(WARNING|ERROR)\b/.test(line));
}

describe('cdk-nag AwsSolutions checks', () => {
  it.each(Object.keys(CONFIGURATIONS) as ConfigurationName[])(
    'leave no unacknowledged finding, error or warning, in the %s deployment',
    (name) => {
      const { app, synthOutput } = synthesize(CONFIGURATIONS[name]);
      const expected = EXPECTED_SYNTH_WARNINGS[name] ?? [];
      expect(reportedProblems(synthOutput)).toEqual(
        expected.map((pattern) => expect.stringMatching(pattern)),
      );
      const report = new AwsSolutionsChecks().validateScope(app);
      const findings = report.violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    },
  );

  it('gives every acknowledgement a reason', () => {
    const { app } = synthesize(CONFIGURATIONS.alb);
    const acks = [...acknowledgements(app), ...acknowledgements(synthesize(CONFIGURATIONS.httpApi).app)];
    expect(acks.length).toBeGreaterThan(5);
    for (const ack of acks) {
      expect(typeof ack.reason, `${ack.id} at ${ack.path}`).toBe('string');
      expect(String(ack.reason).length, `${ack.id} at ${ack.path}`).toBeGreaterThan(30);
    }
  });

  it('runs as a synth-time validation plugin of the app: synth passes with it registered', () => {
    const { template } = synthesize(CONFIGURATIONS.functionUrl, { nag: true });
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  it('fails synth when a resource breaks a rule without acknowledgement', () => {
    const app = new App({ context: { ...WITHOUT_BUNDLING, ...CONFIGURATIONS.functionUrl } });
    const stack = addCollectorStack(app, {});
    new s3.Bucket(stack, 'UnloggedBucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
