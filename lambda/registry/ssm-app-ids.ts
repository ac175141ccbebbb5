import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { parseAppIdList } from '../core/app-ids';

export interface SsmAppIdsOptions {
  readonly parameterName: string;
  /** How long a read value is served from the cache before SSM is asked again. */
  readonly cacheSeconds: number;
  readonly region: string;
  readonly requestHandler: NodeHttpHandler;
  readonly endpoint?: string | undefined;
}

/**
 * Reads the registered app IDs from one SSM parameter (a comma-separated list, as
 * `CLICKSTREAM_APP_IDS`), through Powertools Parameters, which keeps the value for `cacheSeconds`.
 * A value that is not a valid list counts as a failed read: the last good list stays in use.
 */
export function ssmAppIdsReader(options: SsmAppIdsOptions): () => Promise<ReadonlySet<string>> {
  const provider = new SSMProvider({
    awsSdkV3Client: new SSMClient({
      region: options.region,
      endpoint: options.endpoint,
      maxAttempts: 2,
      requestHandler: options.requestHandler,
    }),
  });
  return async () => {
    const value = await provider.get(options.parameterName, { maxAge: options.cacheSeconds });
    if (typeof value !== 'string') throw new Error(`SSM parameter ${options.parameterName} has no value`);
    return new Set(parseAppIdList(value));
  };
}
