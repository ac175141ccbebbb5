import { join } from 'node:path';
import type { LocalCollector } from '../../local/collector';
import type { LocalTablesLocation } from '../../local/local-tables';

/** Where a running local collector keeps its tables, for `queryLocalTables`. */
export function tablesOf(collector: LocalCollector): LocalTablesLocation {
  return {
    bucketDirectory: join(collector.s3Directory ?? '', collector.bucket),
    archivePrefix: collector.archivePrefix ?? '',
    tablesPrefix: collector.tablesPrefix ?? '',
    quarantinePrefix: collector.config.quarantinePrefix,
    fallbackPrefix: collector.config.fallbackPrefix,
  };
}
