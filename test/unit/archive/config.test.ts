import { describe, expect, it } from 'vitest';
import { parseArchiveConfig } from '../../../lambda/archive/config';
import { ConfigError } from '../../../lambda/config';

describe('archive consumer configuration', () => {
  it('needs the bucket and defaults the prefixes to the stack defaults', () => {
    expect(parseArchiveConfig({ CLICKSTREAM_ARCHIVE_BUCKET: 'archive' })).toMatchObject({
      bucket: 'archive',
      archivePrefix: 'events/',
      tablesPrefix: 'tables/',
      writeConcurrency: 8,
    });
  });

  it.each([
    [{}, 'CLICKSTREAM_ARCHIVE_BUCKET'],
    [{ CLICKSTREAM_ARCHIVE_BUCKET: 'b', CLICKSTREAM_TABLES_PREFIX: 'tables' }, 'CLICKSTREAM_TABLES_PREFIX'],
    [
      { CLICKSTREAM_ARCHIVE_BUCKET: 'b', CLICKSTREAM_TABLES_PREFIX: 'events/tables/' },
      'CLICKSTREAM_TABLES_PREFIX',
    ],
    [
      { CLICKSTREAM_ARCHIVE_BUCKET: 'b', CLICKSTREAM_ARCHIVE_WRITE_CONCURRENCY: '0' },
      'CLICKSTREAM_ARCHIVE_WRITE_CONCURRENCY',
    ],
  ])('refuses %j with a message naming %s', (env, name) => {
    expect(() => parseArchiveConfig(env)).toThrow(ConfigError);
    expect(() => parseArchiveConfig(env)).toThrow(name);
  });
});
