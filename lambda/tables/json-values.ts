import { isLosslessNumber, type LosslessNumber, parse, stringify } from 'lossless-json';
import type { Int64 } from './column-types';

/**
 * Event JSON read without losing a digit: numbers stay as their source text (lossless-json's
 * `LosslessNumber`), so `12345678901234567890` reaches a bigint column exactly and `10.0` stays a
 * double, as CAoA's Jackson-based converters see them. `JSON.parse` would round both.
 */

export type JsonValue = string | boolean | null | LosslessNumber | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Longest string value kept in a typed value (CAoA truncates event parameter strings alike). */
const MAX_STRING_VALUE_CHARS = 2048;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?\d+$/;

/** Parses JSON text; duplicate keys keep the last value, as JSON.parse and Jackson do. Throws on bad JSON. */
export function parseLossless(text: string): unknown {
  return parse(text, null, { onDuplicateKey: ({ newValue }) => newValue });
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** Compact JSON text, numbers exactly as sent. */
function jsonText(value: JsonValue): string {
  return stringify(value) ?? 'null';
}

/**
 * A value read into a string column, as Spark reads a JSON value into a string field: strings as
 * they are, numbers as their text, booleans as `true`/`false`, objects and arrays as JSON text.
 */
export function textOf(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (isLosslessNumber(value)) return value.value;
  return jsonText(value);
}

/** An integer within 64 bits, as a number while it is safe and a bigint beyond; else null. */
export function int64Of(value: JsonValue | undefined): Int64 | null {
  if (value === undefined || !isLosslessNumber(value) || !INTEGER_TEXT.test(value.value)) return null;
  const big = BigInt(value.value);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** Any finite JSON number, as a double; else null. */
export function doubleOf(value: JsonValue | undefined): number | null {
  if (value === undefined || !isLosslessNumber(value)) return null;
  const number = Number(value.value);
  return Number.isFinite(number) ? number : null;
}

/** Integer milliseconds → seconds, truncated toward zero like Spark's cast of `zone_offset / 1000`. */
export function secondsOf(milliseconds: Int64 | null): Int64 | null {
  if (milliseconds === null) return null;
  return typeof milliseconds === 'bigint' ? milliseconds / 1000n : Math.trunc(milliseconds / 1000);
}

export interface TypedValue {
  double_value: number | null;
  float_value: number | null;
  int_value: Int64 | null;
  string_value: string | null;
}

function truncated(text: string): string {
  return text.length > MAX_STRING_VALUE_CHARS ? text.slice(0, MAX_STRING_VALUE_CHARS) : text;
}

/**
 * Exactly one of the typed columns, chosen as CAoA's `KvConverter` chooses: an integer goes to
 * `int_value`, a number with a fraction or exponent to `double_value`, objects and arrays to
 * `string_value` as JSON text, anything else to `string_value` as text (so JSON null is the text
 * `null`, as there). Where CAoA would wrap or overflow — an integer beyond 64 bits, a number beyond
 * a double's range — the exact digits go to `string_value` instead.
 */
export function typedValue(value: JsonValue): TypedValue {
  const result: TypedValue = { double_value: null, float_value: null, int_value: null, string_value: null };
  if (isLosslessNumber(value)) {
    if (INTEGER_TEXT.test(value.value)) {
      result.int_value = int64Of(value);
      if (result.int_value === null) result.string_value = value.value;
    } else {
      result.double_value = doubleOf(value);
      if (result.double_value === null) result.string_value = value.value;
    }
    return result;
  }
  result.string_value = truncated(value === null ? 'null' : (textOf(value) ?? 'null'));
  return result;
}
