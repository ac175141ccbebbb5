import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';

/** How the stream's capacity is provisioned. */
type StreamCapacity =
  | { readonly mode: 'on-demand' }
  | { readonly mode: 'provisioned'; readonly shardCount: number };

export interface EventStreamProps {
  /**
   * Capacity mode of the stream.
   * @default - on-demand
   */
  readonly capacity?: StreamCapacity;
  /**
   * How long records stay readable in the stream.
   * @default Duration.hours(24)
   */
  readonly retention?: Duration;
  /**
   * Largest record the stream accepts, in bytes (the maxRecordBytes setting, which holds its range).
   * Above 1 MiB the stream is configured for large records (Kinesis accepts up to 10 MiB).
   * @default 1048576 (1 MiB, the Kinesis default)
   */
  readonly maxRecordBytes?: number;
  /**
   * What happens to the stream when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const MIB = 1024 * 1024;

/** The Kinesis Data Stream the collector writes one record per request to, encrypted with the AWS managed key. */
export class EventStream extends Construct {
  public readonly stream: kinesis.Stream;

  constructor(scope: Construct, id: string, props: EventStreamProps = {}) {
    super(scope, id);
    const capacity = props.capacity ?? { mode: 'on-demand' };
    const retention = props.retention ?? Duration.hours(24);
    const maxRecordBytes = props.maxRecordBytes ?? MIB;

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode:
        capacity.mode === 'on-demand' ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: capacity.mode === 'provisioned' ? capacity.shardCount : undefined,
      retentionPeriod: retention,
      // The AWS managed key keeps producers and consumers free of KMS grants and KMS request costs.
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (maxRecordBytes > MIB) {
      const cfn = this.stream.node.defaultChild as kinesis.CfnStream;
      cfn.maxRecordSizeInKiB = Math.ceil(maxRecordBytes / 1024);
    }
  }
}
