import { choice, flag, integer, text } from './kinds';

/**
 * Settings only `npm start` (and `npm run tail`) reads, and the Powertools variables it presets.
 * The function's own settings apply locally too, with their `localDefault`.
 */

const port = (env: string, defaultPort: number, doc: string) =>
  integer({ scope: 'local', env, default: defaultPort, min: 0, max: 65_535, doc });

export const LOCAL_SETTINGS = {
  port: port('PORT', 8080, 'port of the local collector (it listens on 127.0.0.1 only; 0 picks a free port)'),
  kinesisPort: port('CLICKSTREAM_LOCAL_KINESIS_PORT', 4567, 'port of the embedded Kinesis emulator'),
  s3Port: port('CLICKSTREAM_LOCAL_S3_PORT', 4568, 'port of the embedded S3 emulator'),
  dataDir: text({
    scope: 'local',
    env: 'CLICKSTREAM_LOCAL_DATA_DIR',
    defaultText: '`.local` in the repository',
    doc: 'where the S3 emulator keeps its objects (in `<dir>/s3`)',
  }),
  archiver: flag({
    scope: 'local',
    env: 'CLICKSTREAM_LOCAL_ARCHIVER',
    defaultText: '`on` with the embedded S3 emulator, else `off`',
    doc: 'run the local archiver that stands in for the archive consumer',
  }),
  archivePrefix: text({
    scope: 'local',
    env: 'CLICKSTREAM_LOCAL_ARCHIVE_PREFIX',
    default: 'archive/',
    pattern: /\/$/,
    patternMessage: 'must end with "/"',
    doc: 'where the local archiver writes the raw archive (gzip NDJSON, hour partitions)',
  }),
  tablesPrefix: text({
    scope: 'local',
    env: 'CLICKSTREAM_LOCAL_TABLES_PREFIX',
    default: 'tables/',
    pattern: /^([A-Za-z0-9_.=-]+\/)+$/,
    patternMessage: 'must be path segments ending with "/"',
    doc: 'where the local archiver writes the event tables (`npm run query` reads them there)',
  }),
};

/**
 * Read by Powertools and the AWS SDK, not by the collector's own code; listed for their documented
 * defaults and for what `npm start` and the local tools preset.
 */
export const LIBRARY_SETTINGS = {
  logLevel: choice({
    scope: 'library',
    env: 'POWERTOOLS_LOG_LEVEL',
    values: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'],
    default: 'INFO',
    localDefault: 'ERROR',
    doc: '`DEBUG` logs every accepted request; `INFO` refusals; `WARN` degraded requests; `ERROR` failures. Locally the per-request line replaces the JSON logs',
  }),
  metricsDisabled: flag({
    scope: 'library',
    env: 'POWERTOOLS_METRICS_DISABLED',
    default: false,
    localDefault: 'true',
    doc: 'no EMF metrics (locally: no EMF blobs on the terminal)',
  }),
  sdkNodeVersionNotice: flag({
    scope: 'library',
    env: 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
    default: false,
    localDefault: 'true',
    doc: '`true`: no AWS SDK notice, once per process on Node 20, that its releases from January 2027 need Node 22 or newer (the function runs Node 24; see [Node versions](#node-versions))',
  }),
};
