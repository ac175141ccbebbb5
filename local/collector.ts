import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { HandlerOptions, LambdaHttpHandler } from '../lambda/app';
import { type CollectorConfig, parseConfig, startupConfig } from '../lambda/config';
import { LocalAppRegistry } from './app-registry';
import { type Archiver, startArchiver } from './archiver';
import { createKinesisClient, createS3Client } from './aws-local-clients';
import { type KinesisEmulator, type S3Emulator, startKinesisEmulator, startS3Emulator } from './emulators';
import { closeServer, createHttpAdapter, listen } from './http-adapter';
import { startInspector } from './inspector/start-inspector';
import {
  applyProcessEnv,
  buildCollectorEnv,
  DEFAULT_DATA_DIR,
  type Environment,
  LOCAL_HOST,
  parseLocalSettings,
  planProcessEnv,
  processEnvironment,
} from './local-config';

/**
 * The local collector: the Lambda's own handler behind the Node HTTP adapter (http-adapter.ts),
 * with embedded Kinesis and S3 emulators and a local archiver. This module starts and stops the
 * parts in order; it handles no request itself.
 */

type HandlerFactory = (config: CollectorConfig, options: HandlerOptions) => LambdaHttpHandler;

export interface LocalCollectorOptions {
  /** The environment to configure from. @default process.env */
  readonly env?: Environment;
  /** 0 = any free port. @default PORT, else 8080 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * true: always start both emulators (ignoring `AWS_ENDPOINT_URL_*`); false: never (use those
   * endpoints, or AWS). @default each emulator starts unless its `AWS_ENDPOINT_URL_*` is set
   */
  readonly embedEmulators?: boolean;
  /**
   * Where the S3 emulator keeps its objects (in `<dataDir>/s3`).
   * @default CLICKSTREAM_LOCAL_DATA_DIR, else `<repo>/.local`; with `port: 0` a fresh temporary
   * folder removed by `stop()`, so parallel tests never share data
   */
  readonly dataDir?: string;
  /** No per-request or archiver lines. @default false */
  readonly quiet?: boolean;
  /** Run the local archiver. @default CLICKSTREAM_LOCAL_ARCHIVER, else on when the S3 emulator is embedded */
  readonly archiver?: boolean;
  /** @default 0 when `port` is 0, else CLICKSTREAM_LOCAL_KINESIS_PORT or 4567 */
  readonly kinesisPort?: number;
  /** @default 0 when `port` is 0, else CLICKSTREAM_LOCAL_S3_PORT or 4568 */
  readonly s3Port?: number;
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Builds the handler; tests of the adapter inject one. @default buildHandler of lambda/app.ts */
  readonly buildHandler?: HandlerFactory;
}

export interface LocalCollector {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly kinesisEndpoint: string;
  readonly s3Endpoint: string;
  readonly streamName: string;
  readonly bucket: string;
  readonly config: CollectorConfig;
  /** The apps it accepts; change them at run time (the inspector's `/_local/apps` does). */
  readonly apps: LocalAppRegistry;
  readonly embedded: { readonly kinesis: boolean; readonly s3: boolean };
  /** Folder of the embedded S3 emulator's objects, if it runs. */
  readonly s3Directory: string | undefined;
  /** Key prefix of the archive, when the archiver runs. */
  readonly archivePrefix: string | undefined;
  /** Key prefix of the flattened tables, when the archiver runs. */
  readonly tablesPrefix: string | undefined;
  /**
   * Archives what is on the stream now (raw archive and tables), without waiting for the next
   * poll; resolves with the number of records archived (0 when the archiver is off).
   */
  drainArchive(): Promise<number>;
  /** Start-up notes for the user (credentials choices). */
  readonly warnings: readonly string[];
  stop(): Promise<void>;
}

/** Shown as the endpoint when none is configured and the SDK picks AWS's own. */
const AWS_DEFAULT_ENDPOINT = '(AWS default endpoint)';

async function defaultHandlerFactory(): Promise<HandlerFactory> {
  // Imported only now, after the process environment is prepared: modules that read it when loaded
  // (Powertools, SDK defaults) then see the local settings.
  const app = await import('../lambda/app');
  return app.buildHandler;
}

export async function startLocalCollector(options: LocalCollectorOptions = {}): Promise<LocalCollector> {
  const env = options.env ?? processEnvironment();
  const settings = parseLocalSettings(env);
  const log = options.log ?? ((line: string) => console.log(line));
  const say = options.quiet === true ? () => undefined : log;
  const host = options.host ?? LOCAL_HOST;
  const port = options.port ?? settings.port;
  const freePorts = port === 0;
  const embedKinesis = options.embedEmulators ?? settings.kinesisEndpoint === undefined;
  const embedS3 = options.embedEmulators ?? settings.s3Endpoint === undefined;
  const externalKinesis = embedKinesis ? undefined : settings.kinesisEndpoint;
  const externalS3 = embedS3 ? undefined : settings.s3Endpoint;

  // Fail on a bad configuration before anything starts (placeholders stand in for emulator URLs).
  const placeholder = `http://${LOCAL_HOST}:1`;
  const preliminary = await startupConfig(
    buildCollectorEnv(env, {
      kinesis: embedKinesis ? placeholder : externalKinesis,
      s3: embedS3 ? placeholder : externalS3,
    }),
  );

  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) =>
        log(`local collector: error while stopping: ${String(error)}`),
      );
    }
  };

  try {
    let kinesis: KinesisEmulator | undefined;
    let s3: S3Emulator | undefined;
    if (embedKinesis) {
      kinesis = await startKinesisEmulator({
        host,
        port: options.kinesisPort ?? (freePorts ? 0 : settings.kinesisPort),
        streamName: preliminary.streamName,
      });
      cleanups.push(kinesis.stop);
    }
    if (embedS3) {
      const dataDir = options.dataDir ?? settings.dataDir ?? (freePorts ? undefined : DEFAULT_DATA_DIR);
      s3 = await startS3Emulator({
        host,
        port: options.s3Port ?? (freePorts ? 0 : settings.s3Port),
        ...(dataDir === undefined ? {} : { directory: join(dataDir, 's3') }),
        bucket: preliminary.bucket,
      });
      cleanups.push(s3.stop);
    }

    const config = parseConfig(
      buildCollectorEnv(env, {
        kinesis: kinesis?.endpoint ?? externalKinesis,
        s3: s3?.endpoint ?? externalS3,
      }),
    );
    const plan = planProcessEnv(processEnvironment(), { kinesis: embedKinesis, s3: embedS3 });
    applyProcessEnv(plan);

    const factory = options.buildHandler ?? (await defaultHandlerFactory());
    const apps = new LocalAppRegistry(config.appIds);
    const inspector = await startInspector({
      config,
      apps,
      kinesis: { endpoint: kinesis?.endpoint ?? externalKinesis, emulator: embedKinesis },
      s3: { endpoint: s3?.endpoint ?? externalS3, emulator: embedS3 },
      startingPosition: embedKinesis ? 'TRIM_HORIZON' : 'LATEST',
      host,
      log,
    });
    cleanups.push(inspector.stop);
    const adapter = createHttpAdapter({
      buildHandler: (onOutcome) => factory(config, { onOutcome, apps }),
      maxBodyBytes: config.maxBodyBytes,
      ...(options.quiet === true ? {} : { say }),
      intercept: inspector.intercept,
      onAnswer: inspector.observe,
    });
    const server = createServer(adapter.listener);
    // Keep-alive like a real endpoint; longer than typical client idle timeouts to avoid races.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    let address: AddressInfo;
    try {
      address = await listen(server, port, host);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
        throw new Error(`local collector: port ${port} is already in use (set PORT to choose another)`, {
          cause: error,
        });
      }
      throw error;
    }
    const stopServer = async (): Promise<void> => {
      // While stopping, no connection is kept for another request.
      adapter.closing();
      await closeServer(server);
    };
    cleanups.push(stopServer);

    const kinesisEndpoint = kinesis?.endpoint ?? externalKinesis;
    const s3Endpoint = s3?.endpoint ?? externalS3;
    const archiving = options.archiver ?? settings.archiver ?? embedS3;
    let drainArchive = async (): Promise<number> => 0;
    if (archiving) {
      const kinesisClient = createKinesisClient({
        endpoint: kinesisEndpoint,
        region: config.region,
        emulator: embedKinesis,
      });
      const s3Client = createS3Client({ endpoint: s3Endpoint, region: config.region, emulator: embedS3 });
      const archiver: Archiver = await startArchiver({
        kinesis: kinesisClient,
        s3: s3Client,
        streamName: config.streamName,
        bucket: config.bucket,
        prefix: settings.archivePrefix,
        tablesPrefix: settings.tablesPrefix,
        startingPosition: embedKinesis ? 'TRIM_HORIZON' : 'LATEST',
        onArchived: ({ key, kind, lines }) =>
          say(
            kind === 'archive'
              ? `         archived ${lines} record${lines === 1 ? '' : 's'} → s3://${config.bucket}/${key}`
              : `         ${kind}: ${lines} row${lines === 1 ? '' : 's'} → s3://${config.bucket}/${key}`,
          ),
        onError: (error) => log(`local archiver: ${error instanceof Error ? error.message : String(error)}`),
      });
      drainArchive = () => archiver.drain();
      // Stops after the server (cleanups run last-in first-out), so its final drain archives what
      // the last requests put on the stream.
      cleanups.splice(cleanups.indexOf(stopServer), 0, async () => {
        await archiver.stop();
        kinesisClient.destroy();
        s3Client.destroy();
      });
    }

    const hostPart = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${hostPart}:${address.port}`,
      kinesisEndpoint: kinesisEndpoint ?? AWS_DEFAULT_ENDPOINT,
      s3Endpoint: s3Endpoint ?? AWS_DEFAULT_ENDPOINT,
      streamName: config.streamName,
      bucket: config.bucket,
      config,
      apps,
      embedded: { kinesis: embedKinesis, s3: embedS3 },
      s3Directory: s3?.directory,
      archivePrefix: archiving ? settings.archivePrefix : undefined,
      tablesPrefix: archiving ? settings.tablesPrefix : undefined,
      drainArchive: () => drainArchive(),
      warnings: plan.warnings,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
