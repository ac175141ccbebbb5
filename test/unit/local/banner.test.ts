import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lambda/config';
import { exampleCurl, exampleUrl } from '../../../local/api-example';
import { type BannerInput, formatBanner } from '../../../local/banner';
import { buildCollectorEnv } from '../../../local/local-config';

function banner(env: Record<string, string> = {}): string {
  const input: BannerInput = {
    url: 'http://127.0.0.1:8080',
    kinesisEndpoint: 'http://127.0.0.1:4567',
    s3Endpoint: 'http://127.0.0.1:4568',
    streamName: 'clickstream-local',
    bucket: 'clickstream-local',
    config: parseConfig(
      buildCollectorEnv(env, { kinesis: 'http://127.0.0.1:4567', s3: 'http://127.0.0.1:4568' }),
    ),
    embedded: { kinesis: true, s3: true },
    s3Directory: '/repo/.local/s3',
    archivePrefix: 'archive/',
    tablesPrefix: 'tables/',
    warnings: [],
  };
  return formatBanner(input);
}

describe('banner', () => {
  it('gives the API document cURL example against the local URL, ready to paste', () => {
    expect(banner()).toContain(
      "curl --location 'http://127.0.0.1:8080/collect?appId=test_release&platform=Android&event_bundle_sequence_id=1' \\\n" +
        "--header 'Content-Type: application/json; charset=utf-8' \\\n" +
        "--header 'X-Forwarded-For: 101.188.67.134' \\\n" +
        '--data \'[{"event_type":"button_click"',
    );
  });

  it('uses a registered app and the configured path in the example when test_release is not registered', () => {
    expect(banner({ CLICKSTREAM_APP_IDS: 'shop', CLICKSTREAM_PATH: '/c' })).toContain(
      "'http://127.0.0.1:8080/c?appId=shop&platform=Android",
    );
  });

  it('says where the data lands and how to tail the stream', () => {
    const text = banner();
    expect(text).toContain('/repo/.local/s3/clickstream-local');
    expect(text).toContain('s3://clickstream-local/archive/year=YYYY/month=MM/day=DD/hour=HH/');
    expect(text).toContain('npm run tail');
  });

  it('says where the event tables land and how to query them', () => {
    const text = banner();
    expect(text).toContain('s3://clickstream-local/tables/{event,event_parameter,user,item}/partition_app=');
    expect(text).toContain('npm run query -- "SELECT event_name, count(*) FROM event GROUP BY 1"');
  });

  it('points at the inspector page and its JSON API on the collector’s own port', () => {
    expect(banner()).toContain(
      '  inspect   http://127.0.0.1:8080/_local/   (live page; JSON API for tests: /_local/events, /_local/quarantine, /_local/summary)',
    );
  });

  it('quotes the example body exactly as the document gives it', () => {
    expect(exampleCurl(exampleUrl('http://h', '/collect'))).toContain(
      '"attributes":{"productName":"book","Price":39.9}}]\'',
    );
  });
});
