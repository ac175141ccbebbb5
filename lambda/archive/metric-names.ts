/** Every metric the archive consumer emits, in the collector's namespace (lib/monitoring.ts charts them). */
export const ARCHIVE_METRIC_NAMES = [
  'ArchiveRecords',
  'ArchiveEvents',
  'ArchiveUnusableElements',
  'ArchiveEventsOverBudget',
  'ArchiveUnreadableRecords',
  'ArchiveObjectsWritten',
  'ArchiveBytesWritten',
  'ArchiveWriteFailures',
] as const;

export type ArchiveMetricName = (typeof ARCHIVE_METRIC_NAMES)[number];
