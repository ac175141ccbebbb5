import { Fn } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { CollectorEndpoint } from './endpoint';

export interface FunctionUrlEndpointProps {
  readonly function: lambda.IFunction;
  /** The path the SDKs POST to (the collectPath setting), e.g. `/collect`. */
  readonly collectPath: string;
}

/**
 * A Lambda function URL with auth NONE. Its own CORS setting stays off: the function answers preflights
 * and sets `Access-Control-Allow-*` itself (exact origin + credentials, which the web SDK needs).
 */
export class FunctionUrlEndpoint extends Construct implements CollectorEndpoint {
  public readonly functionUrl: lambda.FunctionUrl;
  public readonly collectorUrl: string;

  constructor(scope: Construct, id: string, props: FunctionUrlEndpointProps) {
    super(scope, id);
    const path = props.collectPath;
    this.functionUrl = new lambda.FunctionUrl(this, 'Url', {
      function: props.function,
      authType: lambda.FunctionUrlAuthType.NONE,
    });
    // The URL ends with "/"; append the path without its leading slash.
    this.collectorUrl = Fn.join('', [this.functionUrl.url, path.slice(1)]);
  }
}
