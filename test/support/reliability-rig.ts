import { buildHandler, type LambdaHttpHandler } from '../../lambda/app';
import { type CollectorConfig, parseConfig } from '../../lambda/config';
import type { RequestOutcome } from '../../lambda/core/outcome';
import { type Emulators, startEmulators } from '../../local/emulators';
import { type DeliveredEvents, readDeliveredEvents } from './delivered-events';
import { useEmulatorCredentials } from './emulator-clients';
import { TEST_ENV } from './events';
import { type FaultProxy, startFaultProxy } from './fault-proxy';

/**
 * The Lambda handler with its real Kinesis and S3 adapters, talking to the emulators through one
 * fault proxy each. Every test file starts its own rig on free ports, so files run in parallel.
 */

/**
 * Small budgets keep the fault suite fast; the time bound below scales with them, and the same
 * reasoning holds for the production defaults (see RELIABILITY.md).
 */
export const FAST_SINK_ENV = {
  CLICKSTREAM_KINESIS_RETRY_BUDGET_MS: '300',
  CLICKSTREAM_SINK_CONNECT_TIMEOUT_MS: '200',
  CLICKSTREAM_SINK_REQUEST_TIMEOUT_MS: '300',
} as const;

/** Scheduling slack on a busy 2-core machine running other test files in parallel. */
const SCHEDULING_MARGIN_MS = 1_000;

/**
 * The longest a request may take: the stream phase ends at the retry budget (each call is aborted
 * at the deadline); the fallback is the S3 client's two attempts, each bounded by the request
 * timeout, with the SDK's backoff between them (≤ 200 ms for a 5xx), within the margin.
 */
export function requestTimeBoundMs(config: CollectorConfig): number {
  return config.kinesisRetryBudgetMs + 2 * config.sinkRequestTimeoutMs + SCHEDULING_MARGIN_MS;
}

export interface Rig {
  readonly emulators: Emulators;
  readonly kinesisProxy: FaultProxy;
  readonly s3Proxy: FaultProxy;
  readonly config: CollectorConfig;
  readonly handler: LambdaHttpHandler;
  /** Every outcome the handler reported, in order. */
  readonly outcomes: RequestOutcome[];
  /** Builds another handler on the same proxies (a fresh container: no cached health). */
  newHandler(env?: Record<string, string>): LambdaHttpHandler;
  delivered(): Promise<DeliveredEvents>;
  stop(): Promise<void>;
}

export async function startRig(options: {
  readonly name: string;
  readonly env?: Record<string, string>;
}): Promise<Rig> {
  useEmulatorCredentials();
  const emulators = await startEmulators({ streamName: options.name, bucket: options.name });
  const kinesisProxy = await startFaultProxy({ target: emulators.kinesisEndpoint });
  const s3Proxy = await startFaultProxy({ target: emulators.s3Endpoint });
  const outcomes: RequestOutcome[] = [];
  const configFor = (env: Record<string, string>) =>
    parseConfig({
      ...TEST_ENV,
      ...FAST_SINK_ENV,
      CLICKSTREAM_STREAM_NAME: options.name,
      CLICKSTREAM_ARCHIVE_BUCKET: options.name,
      AWS_ENDPOINT_URL_KINESIS: kinesisProxy.endpoint,
      AWS_ENDPOINT_URL_S3: s3Proxy.endpoint,
      ...options.env,
      ...env,
    });
  const newHandler = (env: Record<string, string> = {}) =>
    buildHandler(configFor(env), { onOutcome: (outcome) => outcomes.push(outcome) });
  const config = configFor({});
  return {
    emulators,
    kinesisProxy,
    s3Proxy,
    config,
    handler: newHandler(),
    outcomes,
    newHandler,
    delivered: () =>
      readDeliveredEvents({
        kinesisEndpoint: emulators.kinesisEndpoint,
        s3Endpoint: emulators.s3Endpoint,
        streamName: options.name,
        bucket: options.name,
        fallbackPrefix: config.fallbackPrefix,
      }),
    async stop() {
      await Promise.allSettled([kinesisProxy.stop(), s3Proxy.stop()]);
      await emulators.stop();
    },
  };
}
