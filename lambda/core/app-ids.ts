/**
 * App IDs: the one rule for what an app ID may be, shared by the configuration, the registry
 * parameter and `npm run apps`.
 */

export const APP_ID_PATTERN = /^[A-Za-z0-9_-]{1,127}$/;
export const APP_ID_RULE = 'app IDs may hold letters, digits, "_" and "-" only (1–127 characters)';

/** The IDs of a comma-separated list, trimmed; throws naming the first invalid one. */
export function parseAppIdList(text: string): string[] {
  const ids = text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  const invalid = ids.find((id) => !APP_ID_PATTERN.test(id));
  if (invalid !== undefined) throw new Error(`"${invalid.slice(0, 140)}": ${APP_ID_RULE}`);
  return ids;
}
