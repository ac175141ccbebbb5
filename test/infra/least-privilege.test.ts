import { describe, expect, it } from 'vitest';
import { CONFIGURATIONS, type ConfigurationName, synthesize } from './support';

/**
 * Least privilege across every deployment the infra tests synthesize: nobody may delete archived
 * data, and every grant to an AWS service names whose resource may use it, where AWS supports it.
 */

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Principal?: { Service?: string | string[]; AWS?: unknown } | '*';
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Resource?: unknown;
}

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

const NAMES = Object.keys(CONFIGURATIONS) as ConfigurationName[];

const templates = new Map<ConfigurationName, Record<string, Resource>>();

/** The resources of one type in a deployment's template (each deployment synthesized once). */
function resources(name: ConfigurationName, type: string): Resource[] {
  let template = templates.get(name);
  if (template === undefined) {
    template = (synthesize(CONFIGURATIONS[name]).template.toJSON() as { Resources: Record<string, Resource> })
      .Resources;
    templates.set(name, template);
  }
  return Object.values(template).filter((resource) => resource.Type === type);
}

function statements(policies: Resource[]): Statement[] {
  return policies.flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const actions = (statement: Statement) => [statement.Action].flat();
const services = (statement: Statement) =>
  statement.Principal === '*' ? [] : [statement.Principal?.Service ?? []].flat();

/** The ELB log-delivery principal: ELB documents no source conditions for it (lib/endpoints/alb-endpoint.ts). */
const ELB_LOG_DELIVERY = 'logdelivery.elasticloadbalancing.amazonaws.com';

describe.each(NAMES)('least privilege in the %s deployment', (name) => {
  it('lets no role and no bucket policy delete objects or grant all of S3', () => {
    const allowed = [
      ...statements(resources(name, 'AWS::IAM::Policy')),
      ...statements(resources(name, 'AWS::S3::BucketPolicy')),
    ].filter((statement) => statement.Effect === 'Allow');
    expect(allowed.length).toBeGreaterThan(5);
    const granted = allowed.flatMap(actions);
    expect(granted.filter((action) => /^s3:(Delete|\*|PutLifecycle|PutBucketPolicy)/.test(action))).toEqual(
      [],
    );
    expect(granted.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('names the source account of every AWS service a bucket policy lets in (ELB log delivery aside)', () => {
    const toServices = statements(resources(name, 'AWS::S3::BucketPolicy')).filter(
      (statement) => statement.Effect === 'Allow' && services(statement).length > 0,
    );
    expect(toServices.length).toBeGreaterThan(0);
    for (const statement of toServices) {
      const [service] = services(statement);
      if (service === ELB_LOG_DELIVERY) continue;
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount'], `${service}`).toEqual({
        Ref: 'AWS::AccountId',
      });
      expect(statement.Condition?.ArnLike?.['aws:SourceArn'], `${service}`).toBeDefined();
    }
  });

  it('lets a service invoke the function only from a resource it names; only the function URL is public', () => {
    for (const permission of resources(name, 'AWS::Lambda::Permission')) {
      const { Principal, SourceArn, FunctionUrlAuthType, InvokedViaFunctionUrl } = permission.Properties;
      if (Principal === '*') {
        // A function URL with auth NONE: the SDKs call it from anywhere; the function checks them.
        expect(FunctionUrlAuthType === 'NONE' || InvokedViaFunctionUrl === true).toBe(true);
        continue;
      }
      expect(SourceArn, String(Principal)).toBeDefined();
    }
  });
});

describe('source ARNs of the invoke permissions', () => {
  it('lets only this HTTP API invoke the function', () => {
    const [permission] = resources('httpApi', 'AWS::Lambda::Permission');
    expect(permission?.Properties.Principal).toBe('apigateway.amazonaws.com');
    expect(JSON.stringify(permission?.Properties.SourceArn)).toMatch(
      /execute-api:.*\{"Ref":"HttpApi[^"]*"\}/,
    );
  });

  it('grants ALB access logs, in a pinned Region, to that Region’s ELB account for this account’s prefix only', () => {
    const elb = statements(resources('alb', 'AWS::S3::BucketPolicy')).filter((statement) =>
      JSON.stringify(statement.Principal).includes('arn:aws:iam::156460612806:root'),
    );
    expect(elb).toHaveLength(1);
    expect(JSON.stringify(elb[0]?.Resource)).toContain('"/alb/AWSLogs/",{"Ref":"AWS::AccountId"},"/*"');
  });
});
