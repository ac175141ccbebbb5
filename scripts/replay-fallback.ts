import { realpathSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisStream } from '../lambda/sinks/kinesis-stream';
import { quietSdkNodeVersionNotice } from '../local/local-config';
import { isReplayableKey } from './replay/keys';
import { parseFallbackRecords } from './replay/ndjson';
import { parseReplayArgs, ReplayArgsError, type ReplayOptions, USAGE } from './replay/options';

/**
 * `npm run replay -- --bucket B --stream S [--prefix fallback/] [--delete] [--dry-run]`: puts the
 * records of the S3 fallback back on the stream (see USAGE in ./replay/options.ts). Objects are
 * handled one at a time, so memory stays bounded by the largest object, and an object is deleted
 * only once every one of its records was accepted.
 */

export interface ReplayRun extends ReplayOptions {
  /** Where the per-object lines and the summary go. Default: stdout. */
  readonly log?: (line: string) => void;
  /** How long the adapter may keep retrying one object's refused records. Default 30 s. */
  readonly putBudgetMs?: number;
}

export interface ReplaySummary {
  /** Fallback objects found under the prefix. */
  readonly objects: number;
  /** Other keys under the prefix (the health probe), left alone. */
  readonly skipped: number;
  /** Records put on the stream and accepted (in a dry run: the records that would be). */
  readonly replayed: number;
  /** Records not on the stream: refused, or in an object that could not be read whole. */
  readonly failed: number;
  readonly deleted: number;
  /** Objects kept because something about them failed; they are safe to replay again. */
  readonly failedObjects: readonly string[];
}

const DEFAULT_PUT_BUDGET_MS = 30_000;

function httpHandler(): NodeHttpHandler {
  // As the collector's clients (lambda/sinks/aws-clients.ts): HTTP/1.1 keep-alive, which the
  // emulators speak and the default HTTP/2 Kinesis handler does not, and bounded timeouts so a
  // hung call fails the object instead of hanging the run.
  return new NodeHttpHandler({
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    throwOnRequestTimeout: true,
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
  });
}

function createClients(options: ReplayOptions): { kinesis: KinesisClient; s3: S3Client } {
  const region = options.region === undefined ? {} : { region: options.region };
  const kinesis = new KinesisClient({
    ...region,
    ...(options.kinesisEndpoint === undefined ? {} : { endpoint: options.kinesisEndpoint }),
    // KinesisStream retries refused records itself, with backoff, until the object's deadline.
    maxAttempts: 1,
    requestHandler: httpHandler(),
  });
  const s3 = new S3Client({
    ...region,
    ...(options.s3Endpoint === undefined
      ? {}
      : {
          endpoint: options.s3Endpoint,
          // Emulators and most compatible services cannot route virtual-hosted bucket names, nor
          // know the SDK's newer default checksums.
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }),
    maxAttempts: 3,
    requestHandler: httpHandler(),
  });
  return { kinesis, s3 };
}

function describeError(error: unknown): string {
  if (error instanceof Error)
    return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}

async function* listKeys(s3: S3Client, bucket: string, prefix: string) {
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    // Continuation tokens mark a key, not an offset, so deleting listed objects skips nothing.
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

async function readBody(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
  // The collector stores the gzip bytes with Content-Encoding: gzip; a client or proxy that
  // decoded them on the way has handed over the NDJSON itself.
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** Replays every fallback object under the prefix; never throws for one object's failure. */
export async function replayFallback(run: ReplayRun): Promise<ReplaySummary> {
  const log = run.log ?? ((line: string) => console.log(line));
  const { kinesis, s3 } = createClients(run);
  const stream = new KinesisStream(kinesis, run.stream);
  const failedObjects: string[] = [];
  let objects = 0;
  let skipped = 0;
  let replayed = 0;
  let failed = 0;
  let deleted = 0;
  try {
    for await (const key of listKeys(s3, run.bucket, run.prefix)) {
      if (!isReplayableKey(key)) {
        skipped += 1;
        log(`skipped  ${key} (not a fallback object)`);
        continue;
      }
      objects += 1;

      let body: Buffer;
      try {
        body = await readBody(s3, run.bucket, key);
      } catch (error) {
        failedObjects.push(key);
        log(`FAILED   ${key}: cannot read: ${describeError(error)}; kept`);
        continue;
      }
      const { records, errors } = parseFallbackRecords(body);
      if (errors.length > 0) {
        // Replaying the readable part would duplicate it on every later run; leave it whole for a human.
        failedObjects.push(key);
        failed += records.length + errors.length;
        log(`FAILED   ${key}: ${errors.join('; ')}; nothing replayed, kept`);
        continue;
      }
      if (run.dryRun) {
        replayed += records.length;
        log(`dry-run  ${key}: ${records.length} records${run.delete ? ', would delete' : ''}`);
        continue;
      }

      const result = await stream.put(records, Date.now() + (run.putBudgetMs ?? DEFAULT_PUT_BUDGET_MS));
      replayed += records.length - result.failed.length;
      if (result.failed.length > 0) {
        failed += result.failed.length;
        failedObjects.push(key);
        log(`FAILED   ${key}: ${result.failed.length} of ${records.length} records refused; kept`);
        continue;
      }
      if (!run.delete) {
        log(`replayed ${key}: ${records.length} records; kept (no --delete)`);
        continue;
      }
      try {
        await s3.send(new DeleteObjectCommand({ Bucket: run.bucket, Key: key }));
        deleted += 1;
        log(`replayed ${key}: ${records.length} records; deleted`);
      } catch (error) {
        // The records are on the stream; a later run would send them again, so say so.
        failedObjects.push(key);
        log(`FAILED   ${key}: ${records.length} records replayed but not deleted: ${describeError(error)}`);
      }
    }
  } finally {
    kinesis.destroy();
    s3.destroy();
  }
  const summary = { objects, skipped, replayed, failed, deleted, failedObjects };
  log(
    `${run.dryRun ? 'dry run: ' : ''}objects: ${objects} (skipped ${skipped}), records ${run.dryRun ? 'to replay' : 'replayed'}: ${replayed}, ` +
      `failed: ${failed}, deleted: ${deleted}, objects with failures: ${failedObjects.length}`,
  );
  return summary;
}

async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  const command = parseReplayArgs(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    console.log(USAGE);
    return;
  }
  const { options } = command;
  console.log(
    `replaying s3://${options.bucket}/${options.prefix} to stream ${options.stream}` +
      `${options.dryRun ? ' (dry run)' : ''}${options.delete && !options.dryRun ? ', deleting replayed objects' : ''}`,
  );
  const summary = await replayFallback(options);
  process.exitCode = summary.failed > 0 || summary.failedObjects.length > 0 ? 1 : 0;
}

/** Run only as a script, not when a test imports replayFallback. */
function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main().catch((error: unknown) => {
    console.error(error instanceof ReplayArgsError ? error.message : describeError(error));
    process.exitCode = 1;
  });
}
