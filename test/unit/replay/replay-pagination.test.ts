import { gzipSync } from 'node:zlib';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { replayFallback } from '../../../scripts/replay-fallback';

// s3rver cannot paginate on Node 20 (its continuation tokens use DES), so the listing's
// pagination is specified here against mocked clients.
const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
afterEach(() => {
  s3.reset();
  kinesis.reset();
});

/** Only what the replay reads of a GetObject body. */
function body(text: string): GetObjectCommandOutput['Body'] {
  const bytes = new Uint8Array(gzipSync(Buffer.from(text)));
  return { transformToByteArray: async () => bytes } as unknown as GetObjectCommandOutput['Body'];
}

describe('replaying a fallback listed over several pages', () => {
  it('follows the continuation token and replays the objects of every page', async () => {
    const keyA = 'fallback/year=2024/month=06/day=27/hour=06/aaaa.ndjson.gz';
    const keyB = 'fallback/year=2024/month=06/day=27/hour=07/bbbb.ndjson.gz';
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      Contents: [{ Key: keyA }],
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
      Contents: [{ Key: keyB }],
      IsTruncated: false,
    });
    s3.on(GetObjectCommand, { Key: keyA }).resolves({ Body: body('{"rid":"aaaa"}\n') });
    s3.on(GetObjectCommand, { Key: keyB }).resolves({ Body: body('{"rid":"bbbb"}\n') });
    s3.on(DeleteObjectCommand).resolves({});
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });

    const summary = await replayFallback({
      bucket: 'archive',
      stream: 'clicks',
      prefix: 'fallback/',
      delete: true,
      dryRun: false,
      region: 'us-east-1',
      kinesisEndpoint: undefined,
      s3Endpoint: undefined,
      log: () => undefined,
    });

    expect(summary).toMatchObject({ objects: 2, replayed: 2, deleted: 2, failed: 0 });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual([keyA, keyB]);
  });
});
