// zod/mini: the function bundle imports this table, and every bundled byte is parsed at each cold start.
import * as z from 'zod/mini';
import '../lambda/zod-messages';

/**
 * The kinds of setting the table is made of. A setting is plain data: where it is read from (an
 * environment variable, a CDK context key, or both), its default, its range and its documentation.
 * Every value arrives as text — environment variables always, `-c key=value` too — and cdk.json's
 * JSON values are turned into the same text first, so one parser serves the function, the local
 * server and synth, and they refuse exactly the same values.
 */

/**
 * Who reads a setting: the collector function (and `npm start`), the archive consumer, the CDK app
 * only, `npm start` only, or a library.
 */
type Scope = 'function' | 'consumer' | 'stack' | 'local' | 'library';

/** Whether a setting always has a value (`defaulted`, `required`) or may be absent (`optional`). */
type Presence = 'defaulted' | 'required' | 'optional';

export interface SettingOptions<T> {
  /** Environment variable the function or the local server reads. */
  readonly env?: string;
  /** CDK context key (`-c key=value`). */
  readonly context?: string;
  readonly doc: string;
  readonly default?: T;
  readonly required?: true;
  /** What a missing required value's error says after "required". */
  readonly requiredHint?: string;
  /** What `npm start` uses when the variable is unset (only where it differs from `default`). */
  readonly localDefault?: string;
  /** How the README shows a default that is computed rather than fixed. */
  readonly defaultText?: string;
  /** An example value for the README. */
  readonly example?: string;
  /** Meaningful only when another setting has one of these values (checked at synth). */
  readonly onlyWith?: { readonly setting: () => AnySetting; readonly values: readonly string[] };
}

export interface Setting<T, P extends Presence = Presence> extends SettingOptions<T> {
  readonly kind: 'text' | 'integer' | 'flag' | 'list' | 'choice';
  readonly scope: Scope;
  readonly presence: Presence;
  /** Type-level only: what `presence` is for this setting. */
  readonly presenceType?: P;
  /** Parses a non-blank value. */
  readonly schema: z.ZodMiniType<T>;
  /** The value as the text an environment variable or `-c` would hold. */
  format(value: T): string;
  /** The allowed values or range, for the README. */
  readonly range?: string;
}

// Method syntax in `Setting` keeps `format` bivariant, so every setting is an `AnySetting`.
export type AnySetting = Setting<unknown>;

/** The value a setting yields once read: absent only when it is optional. */
type ValueOf<S> = S extends Setting<infer T, infer P> ? (P extends 'optional' ? T | undefined : T) : never;

/** A named group of settings, e.g. the fields of the function's configuration. */
export type SettingGroup = Readonly<Record<string, AnySetting>>;

/** The values of a group, keyed like the group. */
export type Values<G extends SettingGroup> = { readonly [K in keyof G]: ValueOf<G[K]> };

/** The values of a group's settings that have a CDK context key (what a deployment sets). */
export type ContextValues<G extends SettingGroup> = {
  readonly [K in keyof G as G[K] extends { readonly context: string } ? K : never]: ValueOf<G[K]>;
};

type PresenceOf<O> = O extends { readonly default: unknown }
  ? 'defaulted'
  : O extends { readonly required: true }
    ? 'required'
    : 'optional';

function presenceOf(options: SettingOptions<unknown>): Presence {
  if (options.default !== undefined) return 'defaulted';
  return options.required ? 'required' : 'optional';
}

function build<T, O extends SettingOptions<T>>(
  options: O & { readonly scope: Scope },
  parts: Pick<Setting<T>, 'kind' | 'schema' | 'format' | 'range'>,
): Setting<T, PresenceOf<O>> & O {
  return { ...options, ...parts, presence: presenceOf(options) };
}

type Scoped = { readonly scope: Scope };

export function text<const O extends SettingOptions<string> & Scoped>(
  options: O & { readonly pattern?: RegExp; readonly patternMessage?: string; readonly maxLength?: number },
) {
  const checks: z.core.$ZodCheck<string>[] = [z.maxLength(options.maxLength ?? 65_536)];
  if (options.pattern) checks.push(z.regex(options.pattern, options.patternMessage));
  const schema = z.string().check(...checks);
  return build<string, O>(options, { kind: 'text', schema, format: String });
}

/** A text value checked by a zod/mini string format (`z.url()`, `z.email()`, …). */
export function formatted<const O extends SettingOptions<string> & Scoped>(
  options: O & { readonly format: z.ZodMiniType<string> },
) {
  return build<string, O>(options, { kind: 'text', schema: options.format, format: String });
}

export function integer<const O extends SettingOptions<number> & Scoped>(
  options: O & { readonly min: number; readonly max: number },
) {
  const schema = z.pipe(
    z.string().check(z.regex(/^-?\d+$/, 'must be an integer')),
    z.pipe(
      z.transform((value: string) => Number(value)),
      z.number().check(z.minimum(options.min), z.maximum(options.max)),
    ),
  );
  return build<number, O>(options, {
    kind: 'integer',
    schema,
    format: String,
    range: `${options.min}–${options.max}`,
  });
}

const TRUE = new Set(['true', 'on', '1']);
const FALSE = new Set(['false', 'off', '0']);

export function flag<const O extends SettingOptions<boolean> & Scoped>(options: O) {
  const schema = z.pipe(
    z
      .string()
      .check(z.refine((value) => TRUE.has(value) || FALSE.has(value), 'must be true or false (on/off, 1/0)')),
    z.transform((value: string) => TRUE.has(value)),
  );
  return build<boolean, O>(options, { kind: 'flag', schema, format: String, range: '`true`, `false`' });
}

/** Comma-separated items; each must match `item` (when given). */
export function list<const O extends SettingOptions<readonly string[]> & Scoped>(
  options: O & { readonly item?: RegExp; readonly itemMessage?: string },
) {
  const { item, itemMessage } = options;
  const schema = z.pipe(
    z.string(),
    z.pipe(
      z.transform((value: string) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0),
      ),
      z
        .array(z.string())
        .check(
          z.refine(
            (items) => item === undefined || items.every((entry) => item.test(entry)),
            itemMessage ?? 'invalid entry',
          ),
        ),
    ),
  );
  return build<readonly string[], O>(options, {
    kind: 'list',
    schema,
    format: (value) => value.join(','),
  });
}

export function choice<
  const V extends readonly [string, ...string[]],
  const O extends SettingOptions<V[number]> & Scoped,
>(options: O & { readonly values: V }) {
  return build<V[number], O>(options, {
    kind: 'choice',
    schema: z.enum(options.values),
    format: String,
    range: options.values.map((value) => `\`${value}\``).join(', '),
  });
}

/** Allowed values given as numbers (e.g. CloudWatch's log retention days). */
export function numberChoice<const O extends SettingOptions<number> & Scoped>(
  options: O & { readonly values: readonly number[] },
) {
  const { values } = options;
  const schema = z.pipe(
    z
      .string()
      .check(z.refine((value) => values.map(String).includes(value), `must be one of ${values.join(', ')}`)),
    z.transform((value: string) => Number(value)),
  );
  return build<number, O>(options, { kind: 'choice', schema, format: String, range: values.join(', ') });
}
