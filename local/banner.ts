import { join } from 'node:path';
import { API_EXAMPLE, exampleCurl, exampleUrl } from './api-example';
import type { LocalCollector } from './collector';

/** The start-up text of `npm start`. Pure, so what it promises the user is unit-tested. */

export type BannerInput = Pick<
  LocalCollector,
  | 'url'
  | 'kinesisEndpoint'
  | 's3Endpoint'
  | 'streamName'
  | 'bucket'
  | 'config'
  | 'embedded'
  | 's3Directory'
  | 'archivePrefix'
  | 'tablesPrefix'
  | 'warnings'
>;

/** The example uses `test_release`; if the user registered other apps, the first one instead. */
function exampleAppId(appIds: ReadonlySet<string>): string {
  if (appIds.has(API_EXAMPLE.appId)) return API_EXAMPLE.appId;
  return appIds.values().next().value ?? API_EXAMPLE.appId;
}

export function formatBanner(collector: BannerInput): string {
  const { config } = collector;
  const apps = [...config.appIds].join(', ');
  const origins =
    config.corsOrigins.length === 0 ? '(none: browsers are refused)' : config.corsOrigins.join(', ');
  const lines = [
    'Clickstream local collector',
    `  collect   POST ${collector.url}${config.collectPath}   apps: ${apps}`,
    `  health    GET  ${collector.url}/health   GET ${collector.url}/ping`,
    `  inspect   ${collector.url}/_local/   (live page; JSON API for tests: /_local/events, /_local/quarantine, /_local/summary)`,
    `  CORS      ${origins}`,
    `  Kinesis   ${collector.kinesisEndpoint}   stream ${collector.streamName}` +
      (collector.embedded.kinesis ? '   (embedded kinesalite, in memory)' : '   (external)'),
    `  S3        ${collector.s3Endpoint}   bucket ${collector.bucket}` +
      (collector.embedded.s3 ? '   (embedded s3rver)' : '   (external)'),
  ];
  if (collector.s3Directory !== undefined) {
    lines.push(
      `  data      ${join(collector.s3Directory, collector.bucket)}`,
      '            (each object is a file named <key>._S3rver_object)',
    );
  }
  lines.push(
    collector.archivePrefix === undefined
      ? '  archive   off (set CLICKSTREAM_LOCAL_ARCHIVER=on to drain the stream into S3)'
      : `  archive   s3://${collector.bucket}/${collector.archivePrefix}year=YYYY/month=MM/day=DD/hour=HH/  (gzip NDJSON, every 1 s)`,
  );
  if (collector.tablesPrefix !== undefined) {
    lines.push(
      `  tables    s3://${collector.bucket}/${collector.tablesPrefix}{event,event_parameter,user,item}/partition_app=…/`,
    );
  }
  lines.push(
    `  quarantine s3://${collector.bucket}/${config.quarantinePrefix}   fallback s3://${collector.bucket}/${config.fallbackPrefix}`,
  );
  for (const warning of collector.warnings) lines.push(`  note: ${warning}`);
  lines.push(
    '',
    'Send the API document example:',
    '',
    exampleCurl(exampleUrl(collector.url, config.collectPath, exampleAppId(config.appIds))),
    '',
    'Watch the stream in another terminal: npm run tail   (full records: npm run tail -- --json)',
    ...(collector.tablesPrefix === undefined
      ? []
      : ['Query the tables: npm run query -- "SELECT event_name, count(*) FROM event GROUP BY 1"']),
    'One line per request follows. Ctrl+C stops.',
    '',
  );
  return lines.join('\n');
}
