import { BadRequestError, PayloadTooLargeError } from '../errors';
import { type ElementSpan, scanJsonArray } from './json-array';

/** One event of a request, as parsed. Its exact text is `Batch.textOf(index)`. */
export interface BatchElement {
  /** Position in the request's array. */
  readonly index: number;
  /** The parsed value; `undefined` when the element was too deep to parse. */
  readonly value: unknown;
  readonly tooDeep: boolean;
}

/** The events of a request body. */
export interface Batch {
  readonly elements: readonly BatchElement[];
  /**
   * The exact text of the element at `index`, as it stands in the (decoded) body. Only a record
   * that is rewritten (events quarantined, or a split) needs these, so on the parsed path the
   * scanner runs on the first call, not before.
   */
  textOf(index: number): string;
}

export interface BatchLimits {
  /** More elements than this: 413. */
  readonly maxEvents: number;
  /** Elements nested deeper than this are not parsed (they are quarantined). */
  readonly maxEventDepth: number;
}

/**
 * Up to this many characters (UTF-16 units) of JSON, a body is parsed whole by `JSON.parse` before
 * its elements are counted: about 2.5× cheaper than scanning and parsing element by element, and
 * what such a body can cost is bounded by its size (at most 128 K elements, or 128 K levels of
 * nesting, about 40 ms). Larger bodies are scanned first, so that millions of elements or levels
 * are refused unparsed. An SDK batch of 100 events is 20–60 KB.
 */
export const PARSE_WHOLE_MAX_LENGTH = 256 * 1024;

const invalidJson = () => new BadRequestError('invalid_json', 'The body is not valid JSON');
const tooMany = (limits: BatchLimits) =>
  new PayloadTooLargeError(
    'too_many_events',
    `The body holds more than ${limits.maxEvents} events; send smaller batches`,
  );

/**
 * Reads the events of a JSON array body: each element's value, and on demand its exact text. It
 * accepts exactly the texts `JSON.parse` accepts as an array (a property test holds it to that),
 * except that an element nested deeper than the limit is passed on unparsed, to be quarantined.
 * Both paths (`parseBatch` for small bodies, `scanBatch`) give the same answer for every text;
 * another property test compares them.
 */
export function readBatch(json: string, limits: BatchLimits): Batch {
  return (json.length <= PARSE_WHOLE_MAX_LENGTH ? parseBatch(json, limits) : null) ?? scanBatch(json, limits);
}

/**
 * The scanner's path: every element's span and depth first, so too many elements are refused
 * before any is parsed and a deep one is never parsed; then each other element on its own.
 */
export function scanBatch(json: string, limits: BatchLimits): Batch {
  const scan = scanJsonArray(json, limits.maxEvents);
  switch (scan.kind) {
    case 'not-an-array':
      throw new BadRequestError('not_an_array', 'The body must be a JSON array of events');
    case 'malformed':
      throw invalidJson();
    case 'too-many':
      throw tooMany(limits);
    case 'array': {
      const elements = scan.elements.map((span, index) => {
        if (span.depth > limits.maxEventDepth) return { index, value: undefined, tooDeep: true };
        try {
          return { index, value: JSON.parse(json.slice(span.start, span.end)), tooDeep: false };
        } catch {
          throw invalidJson();
        }
      });
      return { elements, textOf: textsOf(json, scan.elements) };
    }
  }
}

/**
 * The parsed path: one `JSON.parse` of the whole body, then the same limits on its values. Null
 * when the body is not valid JSON: the scanner then tells which answer it gets (an oversized
 * array is a 413 even if it breaks further on, and a deep element may hold anything).
 */
export function parseBatch(json: string, limits: BatchLimits): Batch | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed))
    throw new BadRequestError('not_an_array', 'The body must be a JSON array of events');
  if (parsed.length > limits.maxEvents) throw tooMany(limits);
  const values: readonly unknown[] = parsed;
  if (shallowAsParsed(values, json, limits.maxEventDepth)) {
    const elements = values.map((value, index) => ({ index, value, tooDeep: false }));
    return { elements, textOf: lazyTexts(json, values.length) };
  }
  // The text decides the depths: the scanner's spans, beside the values already parsed.
  const spans = spansOf(json, values.length);
  const elements = spans.map((span, index) =>
    span.depth > limits.maxEventDepth
      ? { index, value: undefined, tooDeep: true }
      : { index, value: values[index], tooDeep: false },
  );
  return { elements, textOf: textsOf(json, spans) };
}

/**
 * Whether every element is within the depth limit, judged on the values alone. That takes
 * knowing the values hold every `[` and `{` of the text: a duplicate key drops its first value,
 * which may have nested deeper than what is left, and a bracket may stand inside a string. When
 * the values hold as many arrays and objects as the text has brackets, every bracket is a
 * container that survived parsing, so each element nests exactly as its text does.
 */
function shallowAsParsed(values: readonly unknown[], json: string, limit: number): boolean {
  let containers = 1;
  for (const value of values) {
    const inner = containersWithin(value, limit);
    if (inner < 0) return false;
    containers += inner;
  }
  return containers === occurrences(json, '[') + occurrences(json, '{');
}

/** The spans of a body `JSON.parse` accepted as an array of `count` elements. */
function spansOf(json: string, count: number): readonly ElementSpan[] {
  const scan = scanJsonArray(json, count);
  // Property-tested never to happen: the scanner accepts exactly what JSON.parse accepts.
  if (scan.kind !== 'array' || scan.elements.length !== count)
    throw new Error('The JSON scanner disagrees with JSON.parse on a body');
  return scan.elements;
}

/** The scanner finds the texts, once, when the first is asked for. */
function lazyTexts(json: string, count: number): Batch['textOf'] {
  let textOf: Batch['textOf'] | undefined;
  return (index) => {
    textOf ??= textsOf(json, spansOf(json, count));
    return textOf(index);
  };
}

function occurrences(text: string, character: string): number {
  let count = 0;
  for (let at = text.indexOf(character); at >= 0; at = text.indexOf(character, at + 1)) count += 1;
  return count;
}

function textsOf(json: string, spans: readonly ElementSpan[]): Batch['textOf'] {
  return (index) => {
    const span = spans[index];
    if (span === undefined) throw new RangeError(`No element ${index} in this batch`);
    return json.slice(span.start, span.end);
  };
}

/** Any object can be read by key; a parsed one holds only JSON values. */
const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null;

/**
 * How many arrays and objects `value` holds, itself included; -1 when they nest deeper than
 * `limit` levels (the scanner's depth: 1 for `{}` or `[]`). It stops looking at the limit, so the
 * recursion is at most `limit` deep.
 */
function containersWithin(value: unknown, limit: number): number {
  if (!isObject(value)) return 0;
  if (limit === 0) return -1;
  let count = 1;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = containersWithin(item, limit - 1);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  // `for…in` rather than Object.values: no array per object, about 3× faster here. A parsed
  // object inherits nothing enumerable, and its `__proto__` key is an own property like any other.
  for (const key in value) {
    const inner = containersWithin(value[key], limit - 1);
    if (inner < 0) return -1;
    count += inner;
  }
  return count;
}
