/** What the collector names its fallback objects: `<prefix>year=…/hour=HH/<rid>.ndjson.gz`. */
const FALLBACK_SUFFIX = '.ndjson.gz';

/**
 * Whether a listed key is a fallback object to replay. Everything else under the prefix is
 * skipped: the deep health check's probe `<prefix>_health-check`, and anything an operator left
 * there, which is not known to hold sink records.
 */
export function isReplayableKey(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.length > FALLBACK_SUFFIX.length && name.endsWith(FALLBACK_SUFFIX) && !name.startsWith('_');
}
