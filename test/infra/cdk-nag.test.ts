import { App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { addCollectorStack } from '../../bin/collector-app';
import { acknowledgements, CONFIGURATIONS, type ConfigurationName, synthesize } from './support';

describe('cdk-nag AwsSolutions checks', () => {
  it.each(Object.keys(CONFIGURATIONS) as ConfigurationName[])(
    'leave no unacknowledged finding, error or warning, in the %s deployment',
    (name) => {
      const { app } = synthesize(CONFIGURATIONS[name]);
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
    const app = new App({ context: CONFIGURATIONS.functionUrl });
    const stack = addCollectorStack(app, {});
    new s3.Bucket(stack, 'UnloggedBucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
