import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lambda/config';
import {
  buildCollectorEnv,
  parseLocalSettings,
  parseQuerySettings,
  parseTailSettings,
  planProcessEnv,
} from '../../../local/local-config';

const endpoints = { kinesis: 'http://127.0.0.1:4567', s3: 'http://127.0.0.1:4568' };

describe('local configuration', () => {
  it('registers test_app and test_release by default, so the API document example works', () => {
    const config = parseConfig(buildCollectorEnv({}, endpoints));
    expect([...config.appIds]).toEqual(['test_app', 'test_release']);
    expect(config.streamName).toBe('clickstream-local');
    expect(config.bucket).toBe('clickstream-local');
    expect(config.region).toBe('us-east-1');
  });

  it('lets the environment override the local defaults', () => {
    const config = parseConfig(
      buildCollectorEnv(
        {
          CLICKSTREAM_APP_IDS: 'shop',
          CLICKSTREAM_PATH: '/c',
          CLICKSTREAM_CORS_ORIGINS: 'http://localhost:3000',
        },
        endpoints,
      ),
    );
    expect([...config.appIds]).toEqual(['shop']);
    expect(config.collectPath).toBe('/c');
    expect(config.corsOrigins).toEqual(['http://localhost:3000']);
  });

  it('points the collector at the endpoints in use, whatever the environment said', () => {
    const config = parseConfig(
      buildCollectorEnv({ AWS_ENDPOINT_URL_KINESIS: 'http://elsewhere:1' }, endpoints),
    );
    expect(config.kinesisEndpoint).toBe('http://127.0.0.1:4567');
    expect(config.s3Endpoint).toBe('http://127.0.0.1:4568');
  });

  it('defaults to port 8080 and the emulator ports 4567 and 4568', () => {
    expect(parseLocalSettings({})).toMatchObject({
      port: 8080,
      kinesisPort: 4567,
      s3Port: 4568,
      archivePrefix: 'archive/',
    });
  });

  it('names PORT when it is not a port number', () => {
    expect(() => parseLocalSettings({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseLocalSettings({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('names CLICKSTREAM_LOCAL_TABLES_PREFIX when it is not a prefix or overlaps the archive', () => {
    expect(parseLocalSettings({}).tablesPrefix).toBe('tables/');
    expect(() => parseLocalSettings({ CLICKSTREAM_LOCAL_TABLES_PREFIX: 'tables' })).toThrow(
      /CLICKSTREAM_LOCAL_TABLES_PREFIX/,
    );
    expect(() => parseLocalSettings({ CLICKSTREAM_LOCAL_TABLES_PREFIX: 'archive/tables/' })).toThrow(
      /CLICKSTREAM_LOCAL_TABLES_PREFIX: must not overlap/,
    );
  });

  it('queries the files of the embedded S3 emulator: data folder, bucket and prefixes', () => {
    expect(
      parseQuerySettings({
        CLICKSTREAM_LOCAL_DATA_DIR: '/data',
        CLICKSTREAM_ARCHIVE_BUCKET: 'my-bucket',
        CLICKSTREAM_QUARANTINE_PREFIX: 'rejects/',
      }),
    ).toEqual({
      bucketDirectory: '/data/s3/my-bucket',
      archivePrefix: 'archive/',
      tablesPrefix: 'tables/',
      quarantinePrefix: 'rejects/',
      fallbackPrefix: 'fallback/',
    });
  });

  it('names an external endpoint that is not a URL', () => {
    expect(() => parseLocalSettings({ AWS_ENDPOINT_URL_S3: 'localhost' })).toThrow(/AWS_ENDPOINT_URL_S3/);
  });

  it('tails the embedded stream unless AWS_ENDPOINT_URL_KINESIS says otherwise', () => {
    expect(parseTailSettings({})).toEqual({
      kinesisEndpoint: 'http://127.0.0.1:4567',
      streamName: 'clickstream-local',
      region: 'us-east-1',
      emulator: true,
    });
    expect(parseTailSettings({ AWS_ENDPOINT_URL_KINESIS: 'http://localhost:4566' })).toMatchObject({
      kinesisEndpoint: 'http://localhost:4566',
      emulator: false,
    });
  });
});

describe('planProcessEnv', () => {
  it('uses the static emulator credentials with embedded emulators, replacing real ones', () => {
    const plan = planProcessEnv(
      { AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_SESSION_TOKEN: 't' },
      { kinesis: true, s3: true },
    );
    expect(plan.set).toMatchObject({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
    expect(plan.unset).toContain('AWS_SESSION_TOKEN');
  });

  it('leaves the environment credentials alone with external endpoints', () => {
    const plan = planProcessEnv({ AWS_ACCESS_KEY_ID: 'AKIAREAL' }, { kinesis: false, s3: false });
    expect(plan.set.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(plan.unset).toEqual([]);
  });

  it('keeps the credentials chain from stalling when only Kinesis is embedded and none are set', () => {
    expect(planProcessEnv({}, { kinesis: true, s3: false }).set.AWS_ACCESS_KEY_ID).toBe('S3RVER');
    expect(
      planProcessEnv({ AWS_PROFILE: 'dev' }, { kinesis: true, s3: false }).set.AWS_ACCESS_KEY_ID,
    ).toBeUndefined();
  });

  it('warns when an external Kinesis has to share the S3 emulator credentials', () => {
    expect(planProcessEnv({}, { kinesis: false, s3: true }).warnings).toHaveLength(1);
  });

  it('silences EMF metrics unless the user asks for them', () => {
    expect(planProcessEnv({}, { kinesis: true, s3: true }).set.POWERTOOLS_METRICS_DISABLED).toBe('true');
    expect(
      planProcessEnv({ POWERTOOLS_METRICS_DISABLED: 'false' }, { kinesis: true, s3: true }).set
        .POWERTOOLS_METRICS_DISABLED,
    ).toBeUndefined();
  });
});
