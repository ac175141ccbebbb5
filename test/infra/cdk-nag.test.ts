import { App, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it, vi } from 'vitest';
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

/**
 * Every cdk-nag acknowledgement of the stack, as `rule at construct path`, and why it holds:
 * - IAM5 on the two roles: s3:PutObject under key prefixes, as the object keys are made per
 *   request or batch (lib/ingestion-function.ts, lib/archive-consumer.ts);
 * - APIG4: the HTTP API is the SDKs' public endpoint, the function checks apps and tokens;
 * - EC23: the ALB is the SDKs' public endpoint.
 * A new acknowledgement fails this test until it is added here, with its reason in the code.
 */
const ROLE_ACKNOWLEDGEMENTS = [
  'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/events/*] at ClickstreamCollector/ArchiveConsumer/Role',
  'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/tables/*] at ClickstreamCollector/ArchiveConsumer/Role',
  'AwsSolutions-IAM5[Resource::<ArchiveFailedBatchesE584110D.Arn>/*] at ClickstreamCollector/ArchiveConsumer/Role',
  'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/fallback/*] at ClickstreamCollector/Ingestion/Role',
  'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/quarantine/*] at ClickstreamCollector/Ingestion/Role',
];
const EXPECTED_ACKNOWLEDGEMENTS: Record<ConfigurationName, readonly string[]> = {
  functionUrl: ROLE_ACKNOWLEDGEMENTS,
  provisioned: ROLE_ACKNOWLEDGEMENTS,
  httpApi: [...ROLE_ACKNOWLEDGEMENTS, 'AwsSolutions-APIG4 at ClickstreamCollector/HttpApi/Api/DefaultRoute'],
  alb: [...ROLE_ACKNOWLEDGEMENTS, 'AwsSolutions-EC23 at ClickstreamCollector/Alb/SecurityGroup'],
  albPlain: [...ROLE_ACKNOWLEDGEMENTS, 'AwsSolutions-EC23 at ClickstreamCollector/Alb/SecurityGroup'],
};

/** The stack's own cdk-nag acknowledgements (not the CDK's CloudFormation-Validate ones). */
function nagAcknowledgements(app: App): { rule: string; path: string }[] {
  return acknowledgements(app)
    .filter((ack) => ack.id.startsWith('Annotation::AwsSolutions-'))
    .map((ack) => ({ rule: ack.id.slice('Annotation::'.length), path: ack.path }));
}

/** What cdk-nag finds when no acknowledgement is made at all: `rule at resource path`. */
function findingsWithoutAcknowledgements(
  name: ConfigurationName,
): { rule: string; path: string | undefined }[] {
  const ignore = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
  try {
    const { app } = synthesize(CONFIGURATIONS[name]);
    expect(acknowledgements(app)).toEqual([]);
    return new AwsSolutionsChecks().validateScope(app).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        rule: violation.ruleName,
        path: resource.constructPath,
      })),
    );
  } finally {
    ignore.mockRestore();
  }
}

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

  it.each(Object.keys(CONFIGURATIONS) as ConfigurationName[])(
    'acknowledges exactly the listed findings in the %s deployment, each one a finding cdk-nag raises without it',
    (name) => {
      const acks = nagAcknowledgements(synthesize(CONFIGURATIONS[name]).app);
      expect(acks.map((ack) => `${ack.rule} at ${ack.path}`).sort()).toEqual(
        [...EXPECTED_ACKNOWLEDGEMENTS[name]].sort(),
      );
      const findings = findingsWithoutAcknowledgements(name);
      for (const ack of acks) {
        const answered = findings.some(
          (finding) =>
            finding.rule === ack.rule &&
            (finding.path === ack.path || finding.path?.startsWith(`${ack.path}/`) === true),
        );
        expect(answered, `stale acknowledgement: ${ack.rule} at ${ack.path}`).toBe(true);
      }
    },
  );

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
