import type { AnySetting, SettingGroup } from './kinds';
import { DEPLOYMENT_GROUPS, FUNCTION_GROUPS, SETTINGS, settingsOf } from './table';

/**
 * The README's configuration tables, rendered from the settings table. `npm run docs` writes them
 * between `<!-- settings:NAME -->` and `<!-- /settings:NAME -->`; a unit test fails when the README
 * and the table disagree.
 */

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string): string => `\`${text}\``;

function defaultText(setting: AnySetting): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  if (setting.presence === 'required') return '— (required)';
  if (setting.default === undefined) return '—';
  const text = setting.format(setting.default);
  return text === '' ? 'empty' : code(text);
}

function meaning(setting: AnySetting): string {
  const range = setting.kind === 'integer' || setting.kind === 'choice' ? setting.range : undefined;
  return range === undefined
    ? setting.doc
    : `${setting.doc} (${setting.kind === 'integer' ? range : `one of ${range}`})`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

const contextCell = (setting: AnySetting): string =>
  setting.context === undefined ? '—' : code(setting.context);

function variableTable(group: SettingGroup, withExample: boolean): string {
  const settings = Object.values(group).filter((setting) => setting.env !== undefined);
  const header = withExample
    ? ['Variable', 'Default', 'Example', 'Meaning', 'Context key']
    : ['Variable', 'Default', 'Meaning', 'Context key'];
  return table(
    header,
    settings.map((setting) => [
      code(String(setting.env)),
      defaultText(setting),
      ...(withExample ? [setting.example === undefined ? '' : code(setting.example)] : []),
      meaning(setting),
      contextCell(setting),
    ]),
  );
}

function localTable(): string {
  const settings = [
    ...Object.values(SETTINGS.local),
    ...settingsOf(FUNCTION_GROUPS).filter((setting) => setting.localDefault !== undefined),
    ...Object.values(SETTINGS.library).filter((setting) => setting.localDefault !== undefined),
  ];
  return table(
    ['Variable', 'Default locally', 'Meaning'],
    settings.map((setting) => [
      code(String(setting.env)),
      setting.localDefault === undefined ? defaultText(setting) : code(setting.localDefault),
      meaning(setting),
    ]),
  );
}

/** The archive consumer's variables: the archive group's, and the collector's it shares. */
function consumerTable(): string {
  const shared = [SETTINGS.collector.bucket, SETTINGS.collector.region, SETTINGS.collector.s3Endpoint];
  const settings = [
    ...shared,
    ...Object.values(SETTINGS.archive).filter((setting) => setting.env !== undefined),
  ];
  return table(
    ['Variable', 'Default', 'Meaning', 'Context key'],
    settings.map((setting) => [
      code(String(setting.env)),
      defaultText(setting),
      meaning(setting),
      contextCell(setting),
    ]),
  );
}

function contextTable(): string {
  return table(
    ['Key', 'Default', 'Meaning'],
    settingsOf(DEPLOYMENT_GROUPS).map((setting) => [
      contextCell(setting),
      defaultText(setting),
      meaning(setting),
    ]),
  );
}

/** Each generated README block, by marker name. */
export function renderSettingsDocs(): Readonly<Record<string, string>> {
  return {
    local: localTable(),
    function: variableTable({ ...SETTINGS.collector, ...SETTINGS.library }, false),
    auth: variableTable(SETTINGS.auth, true),
    consumer: consumerTable(),
    context: contextTable(),
  };
}

const block = (name: string) => new RegExp(`(<!-- settings:${name} -->)[^]*?(<!-- /settings:${name} -->)`);

/** The README with every generated block replaced; throws when a marker is missing. */
export function withSettingsDocs(readme: string): string {
  let text = readme;
  for (const [name, rendered] of Object.entries(renderSettingsDocs())) {
    if (!block(name).test(text)) throw new Error(`README.md has no <!-- settings:${name} --> block`);
    text = text.replace(
      block(name),
      (_match, open: string, close: string) => `${open}\n${rendered}\n${close}`,
    );
  }
  return text;
}
