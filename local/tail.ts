import { ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from './aws-local-clients';
import { parseTailSettings, processEnvironment } from './local-config';
import { formatRecordLine, summarizeRecord } from './record-summary';
import { ShardReader } from './shard-reader';

/**
 * `npm run tail`: prints each record as it arrives on the local stream (that of a running
 * `npm start`, or the one AWS_ENDPOINT_URL_KINESIS / CLICKSTREAM_STREAM_NAME name).
 * `--json` prints whole records, one per line; `--from-start` begins at the oldest record.
 */

const USAGE = 'usage: npm run tail [-- --json] [-- --from-start]';
const POLL_MS = 1_000;

/** The stream or its emulator is not there (not started yet, or restarted): positions are void. */
function streamGone(error: unknown): boolean {
  if (error instanceof ResourceNotFoundException) return true;
  return error instanceof Error && 'code' in error && error.code === 'ECONNREFUSED';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((arg) => !['--json', '--from-start'].includes(arg));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}; ${USAGE}`);
  const json = args.includes('--json');
  const settings = parseTailSettings(processEnvironment());
  const client = createKinesisClient({
    endpoint: settings.kinesisEndpoint,
    region: settings.region,
    emulator: settings.emulator,
  });
  let reader = new ShardReader(
    client,
    settings.streamName,
    args.includes('--from-start') ? 'TRIM_HORIZON' : 'LATEST',
  );
  let stopping = false;
  process.on('SIGINT', () => {
    stopping = true;
  });
  console.error(`tailing stream ${settings.streamName} at ${settings.kinesisEndpoint} (Ctrl+C stops)`);

  let waitingMessage: string | undefined;
  while (!stopping) {
    try {
      const { records, behind } = await reader.read();
      if (waitingMessage !== undefined) {
        console.error('connected');
        waitingMessage = undefined;
      }
      for (const record of records) {
        const line = json
          ? Buffer.from(record.data).toString('utf8').trim()
          : formatRecordLine(summarizeRecord(record.data), record.arrivedAt);
        process.stdout.write(`${line}\n`);
      }
      if (!behind) await sleep(POLL_MS);
    } catch (error) {
      const message = streamGone(error)
        ? `no stream ${settings.streamName} at ${settings.kinesisEndpoint} yet; is npm start running? waiting…`
        : `cannot read ${settings.kinesisEndpoint}: ${error instanceof Error ? error.message : String(error)}; retrying…`;
      if (message !== waitingMessage) console.error(message);
      waitingMessage = message;
      if (streamGone(error)) {
        // The embedded stream lives in memory: once it is back, it is a new stream, so read it all.
        reader = new ShardReader(client, settings.streamName, settings.emulator ? 'TRIM_HORIZON' : 'LATEST');
      }
      await sleep(POLL_MS);
    }
  }
  client.destroy();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
