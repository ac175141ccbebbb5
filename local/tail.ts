import { ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from './aws-local-clients';
import { parseTailSettings, processEnvironment, quietSdkNodeVersionNotice } from './local-config';
import { formatRecordLine, summarizeRecord } from './record-summary';
import { ShardReader, type StartingPosition, type StreamRecord } from './shard-reader';
import { parseTailArgs, type TailOptions, USAGE } from './tail-options';
import { TailView } from './tail-view';

/**
 * `npm run tail`: shows the newest records already on the local stream (that of a running
 * `npm start`, or the one AWS_ENDPOINT_URL_KINESIS / CLICKSTREAM_STREAM_NAME name), then prints
 * each new record as it arrives. Options: see USAGE in ./tail-options.ts. Records go to stdout,
 * one line each; notes about the stream go to stderr, so `--json` output can be piped.
 */

const POLL_MS = 1_000;
const BACKLOG_POLL_MS = 200;
/**
 * How far back `--last` looks on a stream other than the embedded one: reading a busy stream of
 * AWS from its oldest record could take hours. The embedded stream lives in memory since
 * `npm start` started, so there tail reads it all.
 */
const LOOKBACK_MS = 15 * 60_000;

/** The stream or its emulator is not there (not started yet, or restarted): positions are void. */
function streamGone(error: unknown): boolean {
  if (error instanceof ResourceNotFoundException) return true;
  return error instanceof Error && 'code' in error && error.code === 'ECONNREFUSED';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startingPosition(options: TailOptions, emulator: boolean): StartingPosition {
  if (options.last === 'all' || (options.last > 0 && emulator)) return 'TRIM_HORIZON';
  if (options.last === 0) return 'LATEST';
  return { atTimestamp: new Date(Date.now() - LOOKBACK_MS) };
}

async function main(): Promise<void> {
  const parsed = parseTailArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const options = parsed;
  quietSdkNodeVersionNotice();
  const settings = parseTailSettings(processEnvironment());
  const client = createKinesisClient({
    endpoint: settings.kinesisEndpoint,
    region: settings.region,
    emulator: settings.emulator,
  });
  // On the emulator, fresh iterators keep a record put while a read runs from being skipped; a
  // real stream has no such race and limits GetShardIterator calls, so there iterators are followed.
  const fresh = { freshIterators: settings.emulator };
  let reader = new ShardReader(
    client,
    settings.streamName,
    startingPosition(options, settings.emulator),
    fresh,
  );
  const view = new TailView(
    options.last,
    settings.emulator || options.last === 'all'
      ? 'on the stream'
      : `of the last ${LOOKBACK_MS / 60_000} minutes`,
  );
  let stopping = false;
  process.on('SIGINT', () => {
    stopping = true;
  });
  console.error(`tailing stream ${settings.streamName} at ${settings.kinesisEndpoint} (Ctrl+C stops)`);

  const print = (records: readonly StreamRecord[]): void => {
    for (const record of records) {
      const line = options.json
        ? Buffer.from(record.data).toString('utf8').trim()
        : formatRecordLine(summarizeRecord(record.data), record.arrivedAt);
      process.stdout.write(`${line}\n`);
    }
  };

  let waitingMessage: string | undefined;
  while (!stopping) {
    try {
      const { records, behind, caughtUp } = await reader.read();
      if (waitingMessage !== undefined) {
        console.error('connected');
        waitingMessage = undefined;
      }
      const step = view.step(records, caughtUp);
      print(step.print);
      if (step.note !== undefined) console.error(step.note);
      if (!view.collecting) {
        if (!behind) await sleep(POLL_MS);
      } else if (records.length === 0) {
        // Still catching up through an empty stretch of the stream (AWS allows 5 reads a second per shard).
        await sleep(BACKLOG_POLL_MS);
      }
    } catch (error) {
      const message = streamGone(error)
        ? `no stream ${settings.streamName} at ${settings.kinesisEndpoint} yet; ${settings.emulator ? 'is npm start running?' : 'check the stream name and the region'} waiting…`
        : `cannot read ${settings.kinesisEndpoint}: ${error instanceof Error ? error.message : String(error)}; retrying…`;
      if (message !== waitingMessage) console.error(message);
      waitingMessage = message;
      if (streamGone(error)) {
        // The embedded stream lives in memory: once it is back, it is a new stream, so read it all.
        reader = new ShardReader(
          client,
          settings.streamName,
          settings.emulator ? 'TRIM_HORIZON' : 'LATEST',
          fresh,
        );
      }
      await sleep(POLL_MS);
    }
  }
  client.destroy();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
