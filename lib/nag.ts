import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag names a resource's ARN in an IAM5 finding: `<LogicalId.Arn>`.
 * Resolved at construction time; the logical IDs of this app are never overridden later.
 */
export function nagArnRef(resource: CfnResource): string {
  const stack = Stack.of(resource);
  return `<${stack.resolve(stack.getLogicalId(resource))}.Arn>`;
}

/** Acknowledges each of several cdk-nag finding IDs on `scope`, with one reason. */
export function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}
