import { ARCHIVE_SETTINGS } from './archive-settings';
import { AUTH_SETTINGS } from './auth-settings';
import { COLLECTOR_SETTINGS } from './collector-settings';
import { ENDPOINT_SETTINGS, STACK_SETTINGS, STREAM_SETTINGS } from './deployment-settings';
import type { AnySetting, ContextValues, SettingGroup } from './kinds';
import { LIBRARY_SETTINGS, LOCAL_SETTINGS } from './local-settings';

/**
 * The settings table: every setting of the collector, declared once, in groups. The function's
 * configuration (lambda/config.ts), the CDK context (bin/context.ts), the Lambda environment
 * (settings/lambda-environment.ts), the local server's settings (local/local-config.ts) and the
 * README's configuration tables (`npm run docs`) are all derived from it.
 *
 * A new construct with settings of its own gets a group file beside the others (plain data, no
 * aws-cdk-lib import), an entry in DEPLOYMENT_GROUPS, and reads `settings.<group>.<name>`.
 */

/** What the function reads: `CollectorConfig` (collector) and `CollectorConfig.auth` (auth). */
export const FUNCTION_GROUPS = { collector: COLLECTOR_SETTINGS, auth: AUTH_SETTINGS };

/** What only the CDK app reads. */
export const DEPLOYMENT_GROUPS = {
  stack: STACK_SETTINGS,
  stream: STREAM_SETTINGS,
  endpoint: ENDPOINT_SETTINGS,
  archive: ARCHIVE_SETTINGS,
};

export const SETTINGS = {
  ...FUNCTION_GROUPS,
  ...DEPLOYMENT_GROUPS,
  local: LOCAL_SETTINGS,
  library: LIBRARY_SETTINGS,
};

export function settingsOf(groups: Readonly<Record<string, SettingGroup>>): AnySetting[] {
  return Object.values(groups).flatMap((group) => Object.values(group));
}

/** Every setting that has a CDK context key. */
export function contextSettings(): AnySetting[] {
  return settingsOf(SETTINGS).filter((setting) => setting.context !== undefined);
}

/** The function's settings a deployment sets (the others keep the function's defaults). */
export interface FunctionSettings {
  readonly collector: ContextValues<typeof COLLECTOR_SETTINGS>;
  readonly auth: ContextValues<typeof AUTH_SETTINGS>;
}

type Deployment = typeof DEPLOYMENT_GROUPS;

/** Everything a deployment sets, by group: what the CDK context yields (bin/context.ts). */
export type CollectorSettings = FunctionSettings & {
  readonly [G in keyof Deployment]: ContextValues<Deployment[G]>;
};
