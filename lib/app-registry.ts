import { Arn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { registryParameterName } from '../settings/collector-settings';

export interface AppRegistryProps {
  /** The app IDs the registry starts with (the `appIds` setting). */
  readonly appIds: readonly string[];
  /**
   * Name of the SSM parameter.
   * @default `/clickstream/<stack name>/app-ids` (where `npm run apps --stack <name>` looks)
   */
  readonly parameterName?: string;
}

/**
 * The registered apps of a deployment: one SSM parameter (a comma-separated list) that the function
 * reads at run time, so apps can be added or removed without a deploy (`npm run apps`, or
 * `aws ssm put-parameter`). CloudFormation writes the seed list when the parameter is created and
 * again only when the seed list in the template changes.
 */
export class AppRegistry extends Construct {
  public readonly parameter: ssm.StringParameter;
  /** The parameter's name as a plain string (known at synth, unlike `parameter.parameterName`). */
  public readonly parameterName: string;

  constructor(scope: Construct, id: string, props: AppRegistryProps) {
    super(scope, id);
    this.parameterName = props.parameterName ?? registryParameterName(Stack.of(this).stackName);
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: this.parameterName,
      stringValue: props.appIds.join(','),
      description: 'Clickstream collector: registered app IDs, comma-separated (npm run apps)',
      tier: ssm.ParameterTier.STANDARD,
    });
  }

  /** Lets `grantee` read this one parameter (ssm:GetParameter only, as the function needs). */
  public grantRead(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter'],
      resourceArns: [
        Arn.format(
          {
            service: 'ssm',
            resource: 'parameter',
            // A name starting with "/" follows `parameter` directly: arn:…:parameter/clickstream/….
            resourceName: this.parameterName.replace(/^\//, ''),
          },
          Stack.of(this),
        ),
      ],
    });
  }
}
