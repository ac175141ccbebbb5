import { Arn, Stack } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { TargetType } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * A Lambda target whose invoke permission names who may invoke: ELB, from this account, for this
 * target group only. (The library's `LambdaTarget` grants any load balancer of any account.) The
 * target group's ARN ends in a suffix only known once it exists, and it registers the function as
 * it is created, so the permission matches the group by its fixed name: Lambda compares
 * `SourceArn` with StringLike, which takes the `*`.
 */
export class ScopedLambdaTarget implements elbv2.IApplicationLoadBalancerTarget {
  constructor(
    private readonly fn: lambda.IFunction,
    /** The target group's explicit name (`targetGroupName`). */
    private readonly targetGroupName: string,
  ) {}

  attachToApplicationTargetGroup(targetGroup: elbv2.IApplicationTargetGroup): elbv2.LoadBalancerTargetProps {
    const stack = Stack.of(targetGroup);
    this.fn.addPermission('InvokeFromTargetGroup', {
      principal: new iam.ServicePrincipal('elasticloadbalancing.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: Arn.format(
        {
          service: 'elasticloadbalancing',
          resource: 'targetgroup',
          resourceName: `${this.targetGroupName}/*`,
        },
        stack,
      ),
    });
    const permission = this.fn.permissionsNode.tryFindChild('InvokeFromTargetGroup');
    if (permission !== undefined) targetGroup.node.addDependency(permission);
    return { targetType: TargetType.LAMBDA, targetJson: { id: this.fn.functionArn } };
  }
}
