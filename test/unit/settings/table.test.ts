import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { LOG_RETENTION_DAYS } from '../../../settings/deployment-settings';
import { FUNCTION_GROUPS, SETTINGS, settingsOf } from '../../../settings/table';

const ALL = settingsOf(SETTINGS);

describe('the settings table', () => {
  it('names each environment variable and each context key once', () => {
    const env = ALL.flatMap((setting) => (setting.env === undefined ? [] : [setting.env]));
    const context = ALL.flatMap((setting) => (setting.context === undefined ? [] : [setting.context]));
    expect(new Set(env).size).toBe(env.length);
    expect(new Set(context).size).toBe(context.length);
  });

  it('gives every function setting a variable, so a context key always reaches the function', () => {
    for (const setting of settingsOf(FUNCTION_GROUPS)) expect(setting.env, setting.doc).toBeDefined();
  });

  it('scopes each setting by who reads it', () => {
    const scopes = (group: Record<string, { scope: string }>) =>
      new Set(Object.values(group).map((s) => s.scope));
    expect(scopes({ ...SETTINGS.collector, ...SETTINGS.auth })).toEqual(new Set(['function']));
    expect(scopes({ ...SETTINGS.stack, ...SETTINGS.stream, ...SETTINGS.endpoint })).toEqual(
      new Set(['stack']),
    );
    // The archive consumer reads the archive settings that have a variable; the rest is the stack's.
    expect(scopes(SETTINGS.archive)).toEqual(new Set(['stack', 'consumer']));
    for (const setting of Object.values(SETTINGS.archive)) {
      expect(setting.scope === 'consumer', setting.context ?? setting.env).toBe(setting.env !== undefined);
    }
    expect(scopes(SETTINGS.local)).toEqual(new Set(['local']));
    expect(scopes(SETTINGS.library)).toEqual(new Set(['library']));
  });

  it('documents every setting', () => {
    for (const setting of ALL) expect(setting.doc.length, setting.env ?? setting.context).toBeGreaterThan(10);
  });

  it.each(
    ALL.filter((setting) => setting.default !== undefined).map((s) => [s.env ?? s.context, s] as const),
  )('has a default for %s that its own parser accepts and reads back unchanged', (_name, setting) => {
    const text = setting.format(setting.default);
    if (text === '') return; // an empty list: blank means unset, which yields the default itself
    expect(setting.schema.parse(text)).toEqual(setting.default);
  });

  it('offers exactly the log retention periods of CloudWatch Logs', () => {
    const cdk = Object.values(logs.RetentionDays).filter((value) => typeof value === 'number');
    expect([...LOG_RETENTION_DAYS].sort((a, b) => a - b)).toEqual(cdk.sort((a, b) => a - b));
  });
});
