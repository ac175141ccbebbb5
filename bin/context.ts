import { closest, distance } from 'fastest-levenshtein';
import { DEPLOYMENT_RULES, withEndpointDefaults } from '../settings/deployment-rules';
import type { AnySetting } from '../settings/kinds';
import { resolveSettings } from '../settings/resolve';
import { applyRules } from '../settings/rules';
import {
  type CollectorSettings,
  contextSettings,
  DEPLOYMENT_GROUPS,
  FUNCTION_GROUPS,
} from '../settings/table';

/**
 * The deployment's configuration, from CDK context (`-c key=value`, or cdk.json's `context`). This
 * is the only module that reads context. The keys, their defaults and ranges are the settings
 * table's (settings/table.ts); values from `-c` arrive as strings, values from cdk.json as JSON, and
 * both are read alike. Unknown keys fail too, with the closest known key as a suggestion: a typo
 * must not silently deploy the defaults. Every error names its key.
 */

export class ContextError extends Error {
  override readonly name = 'ContextError';
}

/** The whole validated context, by group of the settings table. */
export type CollectorContext = CollectorSettings;

const SETTINGS = contextSettings();
const KNOWN_KEYS = SETTINGS.map((setting) => String(setting.context));

/**
 * Keys the CDK itself (or `cdk acknowledge`, or context lookups) puts in the context: feature flags
 * (`@aws-cdk/...`), `aws:cdk:*`, lookup results (`vpc-provider:...`), `cdk-*`. Not ours to judge.
 */
function belongsToCdk(key: string): boolean {
  return (
    key.startsWith('@') ||
    key.includes(':') ||
    key.startsWith('cdk-') ||
    key.startsWith('aws-cdk') ||
    key === 'acknowledged-issue-numbers'
  );
}

function unknownKeys(keys: readonly string[]): string[] {
  return keys
    .filter((key) => !belongsToCdk(key) && !KNOWN_KEYS.includes(key))
    .map((key) => {
      const nearest = closest(key, KNOWN_KEYS);
      const near = distance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, key.length / 3);
      return `  -c ${key}: unknown context key${near ? `; did you mean ${nearest}?` : ''}`;
    });
}

const contextKey = (setting: AnySetting): string => setting.context ?? String(setting.env);

function fail(lines: readonly string[]): never {
  throw new ContextError(`Invalid CDK context:\n${lines.join('\n')}`);
}

/**
 * Reads and validates the context (all of it: `app.node.getAllContext()`); throws `ContextError`
 * naming each bad or unknown key.
 */
export function parseContext(context: Readonly<Record<string, unknown>>): CollectorContext {
  const unknown = unknownKeys(Object.keys(context));
  if (unknown.length > 0) fail(unknown);
  const { resolved, issues } = resolveSettings(SETTINGS, (setting) =>
    setting.context === undefined ? undefined : context[setting.context],
  );
  const problems = issues.length > 0 ? issues : applyRules(DEPLOYMENT_RULES, resolved, contextKey);
  if (problems.length > 0) fail(problems.map((p) => `  -c ${contextKey(p.setting)}: ${p.message}`));
  return {
    collector: withEndpointDefaults(resolved.deployed(FUNCTION_GROUPS.collector), resolved),
    auth: resolved.deployed(FUNCTION_GROUPS.auth),
    stack: resolved.deployed(DEPLOYMENT_GROUPS.stack),
    stream: resolved.deployed(DEPLOYMENT_GROUPS.stream),
    endpoint: resolved.deployed(DEPLOYMENT_GROUPS.endpoint),
    archive: resolved.deployed(DEPLOYMENT_GROUPS.archive),
  };
}
