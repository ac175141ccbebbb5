import type { AnySetting, ContextValues, Setting, SettingGroup, Values } from './kinds';

/**
 * Reads settings from a source (an environment, or CDK context) and checks each value on its own.
 * Blank values count as unset, so an empty variable never shadows a default.
 */

export interface SettingIssue {
  readonly setting: AnySetting;
  readonly message: string;
}

/** A raw value: environment text, or cdk.json JSON (numbers, booleans, lists) turned into text here. */
export type RawSource = (setting: AnySetting) => unknown;

/** The values read, with defaults applied, and which of them were given explicitly. */
export class ResolvedSettings {
  constructor(
    private readonly values: ReadonlyMap<AnySetting, unknown>,
    private readonly given: ReadonlySet<AnySetting>,
  ) {}

  /** The value of a setting; `undefined` when it is unset without default, or was not read here. */
  get<T>(setting: Setting<T>): T | undefined {
    // The map is filled only by `resolveSettings`, with the output of this setting's own schema.
    return this.values.get(setting) as T | undefined;
  }

  /** Whether the source gave a (non-blank) value for the setting. */
  isGiven(setting: AnySetting): boolean {
    return this.given.has(setting);
  }

  /** The values of a group, keyed like the group (the settings were read and checked). */
  group<G extends SettingGroup>(group: G): Values<G> {
    const entries = Object.entries(group).map(([key, setting]) => [key, this.values.get(setting)]);
    // Each entry is its setting's checked value; required settings are present (else an issue was raised).
    return Object.fromEntries(entries) as Values<G>;
  }

  /** The values of a group's settings that have a context key. */
  deployed<G extends SettingGroup>(group: G): ContextValues<G> {
    const entries = Object.entries(group)
      .filter(([, setting]) => setting.context !== undefined)
      .map(([key, setting]) => [key, this.values.get(setting)]);
    // As in `group`: each entry is its setting's checked value.
    return Object.fromEntries(entries) as ContextValues<G>;
  }
}

function asText(raw: unknown): string | { readonly problem: string } | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return raw.length === 0 ? undefined : raw.join(',');
  }
  return { problem: 'must be a string, a number, true/false or a list' };
}

function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function requiredMessage(setting: AnySetting): string {
  if (setting.requiredHint !== undefined) return `required: ${setting.requiredHint}`;
  return setting.kind === 'list' ? 'required (at least one, comma-separated)' : 'required';
}

export function resolveSettings(
  settings: readonly AnySetting[],
  read: RawSource,
): { readonly resolved: ResolvedSettings; readonly issues: SettingIssue[] } {
  const values = new Map<AnySetting, unknown>();
  const given = new Set<AnySetting>();
  const issues: SettingIssue[] = [];
  for (const setting of settings) {
    const text = asText(read(setting));
    if (typeof text === 'object') {
      issues.push({ setting, message: text.problem });
      continue;
    }
    if (text === undefined) {
      if (setting.presence === 'required') issues.push({ setting, message: requiredMessage(setting) });
      values.set(setting, setting.default);
      continue;
    }
    const parsed = setting.schema.safeParse(text);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => issue.message).join(', ');
      issues.push({ setting, message: `${message} (got ${shown(text)})` });
      continue;
    }
    const value: unknown = parsed.data;
    if (setting.presence === 'required' && Array.isArray(value) && value.length === 0) {
      issues.push({ setting, message: requiredMessage(setting) });
    }
    values.set(setting, value);
    given.add(setting);
  }
  return { resolved: new ResolvedSettings(values, given), issues };
}
