import type { AnySetting, SettingGroup } from './kinds';
import { FUNCTION_GROUPS, type FunctionSettings } from './table';

/**
 * The function's environment from a deployment's settings, generically: every function setting
 * with a context key becomes its variable, in the text the function parses back. Settings that do
 * not apply (the auth settings with `mode=none`) and unset optional ones are left out, and the
 * function applies the table's defaults to whatever is absent.
 */

const GROUPS: readonly { readonly group: SettingGroup; readonly values: (s: FunctionSettings) => object }[] =
  [
    { group: FUNCTION_GROUPS.collector, values: (s) => s.collector },
    { group: FUNCTION_GROUPS.auth, values: (s) => s.auth },
  ];

function valueIn(settings: FunctionSettings, wanted: AnySetting): unknown {
  for (const { group, values } of GROUPS) {
    for (const [key, value] of Object.entries(values(settings))) if (group[key] === wanted) return value;
  }
  return undefined;
}

function applies(setting: AnySetting, settings: FunctionSettings): boolean {
  if (setting.onlyWith === undefined) return true;
  const parent = valueIn(settings, setting.onlyWith.setting());
  return typeof parent === 'string' && setting.onlyWith.values.includes(parent);
}

function addGroup(
  environment: Record<string, string>,
  group: SettingGroup,
  values: object,
  settings: FunctionSettings,
): void {
  for (const [key, value] of Object.entries(values)) {
    const setting = group[key];
    if (setting?.env === undefined || value === undefined || !applies(setting, settings)) continue;
    environment[setting.env] = setting.format(value);
  }
}

export function functionEnvironment(settings: FunctionSettings): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const { group, values } of GROUPS) addGroup(environment, group, values(settings), settings);
  return environment;
}
