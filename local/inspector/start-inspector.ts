import type { IncomingMessage, ServerResponse } from 'node:http';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { CollectorConfig } from '../../lambda/config';
import { ConfigError } from '../../lambda/config';
import type { LocalAppRegistry } from '../app-registry';
import { createKinesisClient, createS3Client, type LocalClientOptions } from '../aws-local-clients';
import type { AnsweredRequest } from '../http-adapter';
import { ShardReader, type StartingPosition } from '../shard-reader';
import { Inspector } from './inspector';
import { loadPageAssets } from './page';
import { INSPECTOR_PREFIX, inspectorRoutes } from './routes';

/**
 * The local inspector (`/_local/`), wired to the local collector's stream, bucket and app
 * registry. Only the local server starts it: the deployed function has no such routes.
 */

export interface InspectorStartOptions {
  readonly config: CollectorConfig;
  readonly apps: LocalAppRegistry;
  /** The Kinesis and S3 endpoints the collector writes to (`endpoint` undefined: AWS's own). */
  readonly kinesis: Omit<LocalClientOptions, 'region'>;
  readonly s3: Omit<LocalClientOptions, 'region'>;
  /** TRIM_HORIZON for the embedded stream (new on every start); LATEST for an external one. */
  readonly startingPosition: StartingPosition;
  /** The host the collector listens on. */
  readonly host: string;
  /** Where a first failed stream read is reported (later ones are answered 503 by the API). */
  readonly log: (line: string) => void;
}

export interface LocalInspector {
  /** For the HTTP adapter's `intercept`. */
  readonly intercept: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  /** For the HTTP adapter's `onAnswer`. */
  readonly observe: (answer: AnsweredRequest) => void;
  stop(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export async function startInspector(options: InspectorStartOptions): Promise<LocalInspector> {
  const { config } = options;
  const path = config.collectPath;
  if (path === INSPECTOR_PREFIX || path.startsWith(`${INSPECTOR_PREFIX}/`))
    throw new ConfigError(
      `CLICKSTREAM_PATH: ${INSPECTOR_PREFIX}/ belongs to the local inspector; choose another path`,
    );
  const page = await loadPageAssets();
  const kinesis = createKinesisClient({ ...options.kinesis, region: config.region });
  const s3 = createS3Client({ ...options.s3, region: config.region });
  const reader = new ShardReader(kinesis, config.streamName, options.startingPosition, {
    freshIterators: true,
  });
  try {
    // Positions are taken now, so a LATEST reader sees every record put after the server listens.
    await reader.open();
  } catch (error) {
    options.log(`local inspector: cannot read stream ${config.streamName} yet: ${String(error)}`);
  }
  const inspector = new Inspector({
    stream: reader,
    getObject: async (key) => {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
        return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
    collectPath: path,
    quarantinePrefix: config.quarantinePrefix,
    fallbackPrefix: config.fallbackPrefix,
  });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const hostNames = new Set([...LOOPBACK_NAMES, host.toLowerCase()]);
  return {
    intercept: inspectorRoutes({ inspector, apps: options.apps, page, hostNames }),
    observe: (answer) => inspector.observe(answer),
    stop: async () => {
      await inspector.idle();
      kinesis.destroy();
      s3.destroy();
    },
  };
}
