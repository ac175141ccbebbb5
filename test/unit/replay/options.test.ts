import { describe, expect, it } from 'vitest';
import { parseReplayArgs, ReplayArgsError, USAGE } from '../../../scripts/replay/options';

const required = ['--bucket', 'archive', '--stream', 'clicks'];

function options(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const command = parseReplayArgs(argv, env);
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.options;
}

describe('replay arguments', () => {
  it('takes bucket and stream from the flags, scans fallback/ and neither deletes nor dry-runs by default', () => {
    expect(options(required)).toEqual({
      bucket: 'archive',
      stream: 'clicks',
      prefix: 'fallback/',
      delete: false,
      dryRun: false,
      region: undefined,
      kinesisEndpoint: undefined,
      s3Endpoint: undefined,
    });
  });

  it('falls back to the collector environment for bucket, stream, prefix, region and endpoints', () => {
    expect(
      options([], {
        CLICKSTREAM_ARCHIVE_BUCKET: 'env-bucket',
        CLICKSTREAM_STREAM_NAME: 'env-stream',
        CLICKSTREAM_FALLBACK_PREFIX: 'spill/',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4567',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4568',
      }),
    ).toMatchObject({
      bucket: 'env-bucket',
      stream: 'env-stream',
      prefix: 'spill/',
      region: 'eu-west-1',
      kinesisEndpoint: 'http://127.0.0.1:4567',
      s3Endpoint: 'http://127.0.0.1:4568',
    });
  });

  it('lets flags override the environment', () => {
    expect(
      options([...required, '--prefix', 'fallback/year=2024/'], {
        CLICKSTREAM_ARCHIVE_BUCKET: 'env-bucket',
        CLICKSTREAM_STREAM_NAME: 'env-stream',
      }),
    ).toMatchObject({ bucket: 'archive', stream: 'clicks', prefix: 'fallback/year=2024/' });
  });

  it('reads --delete and --dry-run as switches', () => {
    expect(options([...required, '--delete', '--dry-run'])).toMatchObject({ delete: true, dryRun: true });
  });

  it('answers --help with the help command', () => {
    expect(parseReplayArgs(['--help'], {})).toEqual({ kind: 'help' });
  });

  it('warns in the help text that replaying can duplicate records', () => {
    expect(USAGE).toMatch(/at-least-once/);
    expect(USAGE).toMatch(/event_id/);
  });

  it('names --bucket when no bucket is given', () => {
    expect(() => parseReplayArgs(['--stream', 'clicks'], {})).toThrow(ReplayArgsError);
    expect(() => parseReplayArgs(['--stream', 'clicks'], {})).toThrow(/^--bucket:/);
  });

  it('names --stream when the stream name is not a Kinesis stream name', () => {
    expect(() => parseReplayArgs(['--bucket', 'archive', '--stream', 'no spaces'], {})).toThrow(/^--stream:/);
  });

  it('names the environment variable when the bad value came from there', () => {
    expect(() => parseReplayArgs(['--bucket', 'archive'], { CLICKSTREAM_STREAM_NAME: 'a/b' })).toThrow(
      /^CLICKSTREAM_STREAM_NAME:/,
    );
  });

  it('refuses an empty --prefix, which would replay the whole bucket including the archive', () => {
    expect(() => parseReplayArgs([...required, '--prefix', ''], {})).toThrow(/^--prefix:/);
  });

  it('names an unknown flag', () => {
    expect(() => parseReplayArgs([...required, '--force'], {})).toThrow(/--force/);
  });

  it('names a flag given without its value', () => {
    expect(() => parseReplayArgs(['--stream', 'clicks', '--bucket'], {})).toThrow(/--bucket/);
  });

  it('names an endpoint variable that is not an http(s) URL', () => {
    expect(() => parseReplayArgs(required, { AWS_ENDPOINT_URL_S3: 'localhost:4568' })).toThrow(
      /^AWS_ENDPOINT_URL_S3:/,
    );
  });
});
