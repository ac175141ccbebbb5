/**
 * Finds where each element of a top-level JSON array starts and ends in the text, without
 * building the values. The collector needs this for two reasons:
 * - byte faithfulness: a record that carries only some events of a request (the others were
 *   quarantined, or the request was split) holds those events' original texts, never a second
 *   `JSON.stringify` of them, which would round big integers, rewrite `10.0` as `10`, drop `-0`…;
 * - bounded work: counting the elements and measuring their nesting before `JSON.parse` lets a
 *   hostile body (millions of tiny elements, or an element nested a million levels deep) be
 *   refused before it is turned into millions of objects.
 *
 * Why not a library: streaming JSON parsers (jsonc-parser, @streamparser/json) report offsets, but
 * they are lenient (comments, trailing commas) or build every value, and are several times slower
 * than this loop. Here the scanner only has to find element boundaries; each element is then
 * parsed by `JSON.parse`, which remains the judge of what is valid JSON.
 */

/** One top-level element: `text.slice(start, end)` is its exact text. */
export interface ElementSpan {
  readonly start: number;
  readonly end: number;
  /** Nesting of arrays and objects inside the element: 0 for a scalar, 1 for `{}` or `[]`, … */
  readonly depth: number;
}

export type ArrayScan =
  | { readonly kind: 'array'; readonly elements: readonly ElementSpan[] }
  /** JSON of another kind: an object, a string, a number… */
  | { readonly kind: 'not-an-array' }
  /** Brackets, strings or separators are broken: not valid JSON. */
  | { readonly kind: 'malformed' }
  /** More than `maxElements` elements (scanning stopped there). */
  | { readonly kind: 'too-many' };

// JSON whitespace is exactly these four characters (RFC 8259 §2).
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Inside a container only these characters change the scanner's state. */
const STRUCTURAL = /["[\]{}]/g;
/** A scalar ends at whitespace, a separator or the end of the array. */
const SCALAR_END = /[ \t\n\r,\]]/g;

function isWhitespace(code: number): boolean {
  return code === SPACE || code === LF || code === CR || code === TAB;
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index += 1;
  return index;
}

/** Index just past the closing quote of the string whose opening quote is at `open`, or -1. */
function endOfString(text: string, open: number): number {
  let index = open + 1;
  for (;;) {
    const quote = text.indexOf('"', index);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    // An odd run of backslashes escapes this quote; an even one only escapes itself.
    if (backslashes % 2 === 0) return quote + 1;
    index = quote + 1;
  }
}

/** Scans the array or object opening at `open`: its end (exclusive) and depth, or null if unclosed. */
function scanContainer(text: string, open: number): { end: number; depth: number } | null {
  let depth = 1;
  let maxDepth = 1;
  STRUCTURAL.lastIndex = open + 1;
  for (;;) {
    const match = STRUCTURAL.exec(text);
    if (match === null) return null;
    const index = match.index;
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = endOfString(text, index);
      if (end < 0) return null;
      STRUCTURAL.lastIndex = end;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth += 1;
      if (depth > maxDepth) maxDepth = depth;
    } else {
      depth -= 1;
      if (depth === 0) return { end: index + 1, depth: maxDepth };
    }
  }
}

function scanElement(text: string, start: number): ElementSpan | null {
  const code = text.charCodeAt(start);
  if (code === QUOTE) {
    const end = endOfString(text, start);
    return end < 0 ? null : { start, end, depth: 0 };
  }
  if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
    const container = scanContainer(text, start);
    return container === null ? null : { start, end: container.end, depth: container.depth };
  }
  if (code === CLOSE_OBJECT || code === COMMA || code === CLOSE_ARRAY) return null;
  SCALAR_END.lastIndex = start;
  const match = SCALAR_END.exec(text);
  const end = match === null ? text.length : match.index;
  return end === start ? null : { start, end, depth: 0 };
}

/**
 * Tells JSON that is not an array from text that is not JSON. An object is judged by its
 * structure only (parsing a megabyte of keys just to refuse them would be the work this module
 * avoids); a scalar is small enough to let `JSON.parse` judge it.
 */
function scanOtherValue(text: string, start: number): ArrayScan {
  const value = start < text.length ? scanElement(text, start) : null;
  if (value === null || skipWhitespace(text, value.end) !== text.length) return { kind: 'malformed' };
  if (value.depth > 0) return { kind: 'not-an-array' };
  try {
    JSON.parse(text.slice(value.start, value.end));
    return { kind: 'not-an-array' };
  } catch {
    return { kind: 'malformed' };
  }
}

/**
 * Scans `text` as a JSON array. A valid JSON array always scans as `array`, with one span per
 * element in order; text that scans as `array` may still hold an invalid element (`[1.2.3]`),
 * which `JSON.parse` of that element's text then refuses.
 */
export function scanJsonArray(text: string, maxElements: number): ArrayScan {
  let index = skipWhitespace(text, 0);
  if (text.charCodeAt(index) !== OPEN_ARRAY) return scanOtherValue(text, index);
  const elements: ElementSpan[] = [];
  index = skipWhitespace(text, index + 1);
  if (text.charCodeAt(index) === CLOSE_ARRAY) {
    index += 1;
  } else {
    for (;;) {
      const element = scanElement(text, index);
      if (element === null) return { kind: 'malformed' };
      if (elements.length === maxElements) return { kind: 'too-many' };
      elements.push(element);
      index = skipWhitespace(text, element.end);
      const separator = text.charCodeAt(index);
      if (separator === CLOSE_ARRAY) {
        index += 1;
        break;
      }
      if (separator !== COMMA) return { kind: 'malformed' };
      index = skipWhitespace(text, index + 1);
    }
  }
  return skipWhitespace(text, index) === text.length ? { kind: 'array', elements } : { kind: 'malformed' };
}
