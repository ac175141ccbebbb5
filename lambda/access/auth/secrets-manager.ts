import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * Reads a shared signing secret (its SecretString) from AWS Secrets Manager. Called once at cold
 * start. The SDK is loaded lazily so deployments without a secret do not pay for it at init; in
 * Lambda it is the runtime's own copy (the stack keeps it out of the bundle).
 */
export async function fetchSecretString(arn: string): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  // The secret may live in another region than the function; its ARN says which.
  const region = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(arn)?.[1];
  const client = new SecretsManagerClient({
    ...(region === undefined ? {} : { region }),
    maxAttempts: 3,
    // A hung call must not eat the whole init phase.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1_000,
      requestTimeout: 3_000,
      throwOnRequestTimeout: true,
    }),
  });
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (typeof output.SecretString !== 'string' || output.SecretString === '') {
      throw new Error('the secret has no SecretString');
    }
    return output.SecretString;
  } finally {
    client.destroy();
  }
}
