import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanJsonArray } from '../../../lambda/core/body/json-array';
import {
  type Batch,
  type BatchLimits,
  PARSE_WHOLE_MAX_LENGTH,
  parseBatch,
  readBatch,
  scanBatch,
} from '../../../lambda/core/body/read-batch';
import { BadRequestError, PayloadTooLargeError } from '../../../lambda/core/errors';
import { oddJsonText } from '../../support/json-text';

const limits = { maxEvents: 1_000, maxEventDepth: 32 };

/**
 * The two ways of reading a batch. `readBatch` parses a small body whole and falls back to the
 * scanner when that fails; the scanner alone is what it does for a large body. Both must answer
 * every text alike, so the specification below runs against each.
 */
const PATHS = {
  'parsed whole': (text: string, given: BatchLimits) => parseBatch(text, given) ?? scanBatch(text, given),
  scanned: scanBatch,
} as const;

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

/** A batch as plain data: each element's text, value and depth verdict. */
const contents = (batch: Batch) =>
  batch.elements.map((element) => ({ ...element, text: batch.textOf(element.index) }));

/** What a path answers for a text: the batch as plain data, or the error code. */
function answer(read: (text: string, given: BatchLimits) => Batch, text: string, given: BatchLimits) {
  try {
    return contents(read(text, given));
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) return error.code;
    throw error;
  }
}

/** JSON.parse's verdict on a text as a batch: its elements, or refused. */
function jsonParseVerdict(text: string): unknown[] | 'refused' {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : 'refused';
  } catch {
    return 'refused';
  }
}

/** Generated arrays of odd JSON texts, some mangled by an inserted or dropped character. */
const mangled = fc
  .tuple(fc.array(oddJsonText(), { maxLength: 4 }), fc.nat(), fc.string({ maxLength: 3 }))
  .map(([elements, at, insert]) => {
    const text = `[${elements.join(',')}]`;
    const position = at % (text.length + 1);
    return text.slice(0, position) + insert + text.slice(position + (at % 2));
  });

describe.each(Object.entries(PATHS))('reading a batch (%s)', (_path, read) => {
  const texts = (text: string, given: BatchLimits = limits) => contents(read(text, given)).map((e) => e.text);

  it('gives each element its exact text, however JSON.stringify would spell it', () => {
    const text = ' [ 12345678901234567890 , 10.0,1e2, -0 ,"\\u00e9\\/", {"b":1,"a":[ ]} ] ';
    expect(texts(text)).toEqual([
      '12345678901234567890',
      '10.0',
      '1e2',
      '-0',
      '"\\u00e9\\/"',
      '{"b":1,"a":[ ]}',
    ]);
  });

  it('reads strings whose escapes end in backslashes or hide brackets and quotes', () => {
    const text = '["a\\\\", "\\"]", {"k":"}{\\\\\\""}, "\\\\\\\\"]';
    expect(read(text, limits).elements.map((element) => element.value)).toEqual(JSON.parse(text));
  });

  it('reads an empty array as no events', () => {
    expect(read(' [ ] ', limits).elements).toEqual([]);
  });

  it.each([
    ['invalid JSON', '[{', 'invalid_json'],
    ['an empty body', '', 'invalid_json'],
    ['a trailing comma', '[1,]', 'invalid_json'],
    ['a missing comma', '[1 2]', 'invalid_json'],
    ['an invalid element', '[1.2.3]', 'invalid_json'],
    ['text after the array', '[1] x', 'invalid_json'],
    ['a byte order mark before the array', '\ufeff[1]', 'invalid_json'],
    ['words', 'not json at all', 'invalid_json'],
    ['a JSON object', '{"event_type":"x"}', 'not_an_array'],
    ['a JSON string', '"[]"', 'not_an_array'],
    ['a JSON number', ' 42 ', 'not_an_array'],
    ['null', 'null', 'not_an_array'],
  ])('answers 400 for %s', (_case, text, code) => {
    expect(errorCode(() => read(text, limits))).toBe(code);
  });

  it('answers 413 for more elements than the cap', () => {
    expect(errorCode(() => read(`[${'0,'.repeat(1_000)}0]`, limits))).toBe('too_many_events');
    expect(read(`[${'0,'.repeat(999)}0]`, limits).elements).toHaveLength(1_000);
  });

  it('answers 413 for more elements than the cap even when the text breaks further on', () => {
    expect(errorCode(() => read(`[${'0,'.repeat(1_001)}0,}`, limits))).toBe('too_many_events');
  });

  it('passes an element nested deeper than the limit on unparsed, with its text, and parses the others', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const batch = contents(read(`[{"a":1},${deep}]`, limits));
    expect(batch[0]).toMatchObject({ value: { a: 1 }, tooDeep: false, text: '{"a":1}' });
    expect(batch[1]).toMatchObject({ text: deep, value: undefined, tooDeep: true });
  });

  it('passes on a deep element even when it is not valid JSON inside', () => {
    const deep = `${'['.repeat(40)}1.2.3${']'.repeat(40)}`;
    expect(contents(read(`[${deep},{"a":1}]`, limits)).map((element) => element.tooDeep)).toEqual([
      true,
      false,
    ]);
  });

  it('judges the depth by the text, even where a duplicate key drops the deep value', () => {
    const deep = `${'['.repeat(32)}${']'.repeat(32)}`;
    const verdicts = read(`[{"a":${deep},"a":0},{"a":"${deep}"}]`, limits).elements;
    expect(verdicts.map((element) => element.tooDeep)).toEqual([true, false]);
  });

  it('counts the event object itself as the first level', () => {
    const atLimit = `${'['.repeat(32)}${']'.repeat(32)}`;
    const object = `{"a":${'['.repeat(31)}${']'.repeat(31)}}`;
    const verdicts = read(`[${atLimit},[${atLimit}],${object},{"b":${object}}]`, limits).elements;
    expect(verdicts.map((element) => element.tooDeep)).toEqual([false, true, false, true]);
  });

  it('accepts exactly the arrays JSON.parse accepts, with the same values (generated JSON)', () => {
    fc.assert(
      fc.property(
        fc.array(oddJsonText(), { maxLength: 8 }),
        fc.constantFrom('', ' ', '\n\t', '\r\n  '),
        (elements, gap) => {
          const text = `${gap}[${gap}${elements.join(`${gap},${gap}`)}${gap}]${gap}`;
          const batch = read(text, { maxEvents: 100, maxEventDepth: 1_000 });
          expect(texts(text, { maxEvents: 100, maxEventDepth: 1_000 })).toEqual(elements);
          expect(batch.elements.map((element) => element.value)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on arbitrary and mangled texts', () => {
    fc.assert(
      fc.property(fc.oneof(mangled, fc.string({ maxLength: 12 })), (text) => {
        const verdict = answer(read, text, { maxEvents: 1_000_000, maxEventDepth: 1_000 });
        const values = typeof verdict === 'string' ? 'refused' : verdict.map((element) => element.value);
        expect(values).toEqual(jsonParseVerdict(text));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('the parsed and the scanned path', () => {
  /** Odd JSON with nesting around the depth limit and counts around the cap. */
  const nested = fc
    .tuple(fc.nat({ max: 6 }), oddJsonText(), fc.constantFrom('[', '{"k":'))
    .map(
      ([levels, inner, open]) => `${open.repeat(levels)}${inner}${(open === '[' ? ']' : '}').repeat(levels)}`,
    );
  /** A duplicate key: JSON.parse keeps the second value, the text still holds the first. */
  const duplicate = fc.tuple(nested, oddJsonText()).map(([first, second]) => `{"d":${first},"d":${second}}`);
  const batchText = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(fc.oneof(oddJsonText(), nested, duplicate), { maxLength: 6 })
        .map((elements) => `[${elements.join(',')}]`),
    },
    { weight: 1, arbitrary: mangled },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const smallLimits = fc.record({
    maxEvents: fc.integer({ min: 1, max: 10 }),
    maxEventDepth: fc.nat({ max: 6 }),
  });

  /** Arrays and objects in a parsed value: fewer than the text's brackets when a duplicate key or a string hides some. */
  const containers = (value: unknown): number =>
    typeof value !== 'object' || value === null
      ? 0
      : Object.values(value).reduce((sum: number, inner) => sum + containers(inner), 1);
  const brackets = (text: string) => text.split('').filter((character) => '[{'.includes(character)).length;

  it('give the same answer for every text and limits: error, values, depth verdicts and texts', () => {
    const reached = { refused: 0, tooDeep: 0, everyBracketParsed: 0, someBracketNotParsed: 0 };
    fc.assert(
      fc.property(batchText, smallLimits, (text, given) => {
        const scanned = answer(PATHS.scanned, text, given);
        expect(answer(PATHS['parsed whole'], text, given)).toEqual(scanned);
        if (typeof scanned === 'string') reached.refused += 1;
        else if (scanned.some((element) => element.tooDeep)) reached.tooDeep += 1;
        else if (containers(JSON.parse(text)) === brackets(text)) reached.everyBracketParsed += 1;
        else reached.someBracketNotParsed += 1;
      }),
      { numRuns: 3_000 },
    );
    // The generator must reach each outcome, and both ways the parsed path judges depth (by the
    // values alone, or by the text when the values hold fewer brackets), or the comparison proves little.
    expect(reached.refused).toBeGreaterThan(300);
    expect(reached.tooDeep).toBeGreaterThan(300);
    expect(reached.everyBracketParsed).toBeGreaterThan(300);
    expect(reached.someBracketNotParsed).toBeGreaterThan(60);
  });
});

describe('readBatch', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses a small body in one JSON.parse call', () => {
    const parse = vi.spyOn(JSON, 'parse');
    readBatch('[{"a":1},{"b":2},3]', limits);
    expect(parse.mock.calls).toEqual([['[{"a":1},{"b":2},3]']]);
  });

  it('counts the elements of a large body before parsing any, and refuses too many unparsed', () => {
    const body = `[${'0,'.repeat(PARSE_WHOLE_MAX_LENGTH / 2)}0]`;
    const parse = vi.spyOn(JSON, 'parse');
    expect(errorCode(() => readBatch(body, limits))).toBe('too_many_events');
    expect(parse).not.toHaveBeenCalled();
  });

  it('reads a large body element by element', () => {
    const element = `{"pad":"${'x'.repeat(1_000)}"}`;
    const body = `[${Array.from({ length: PARSE_WHOLE_MAX_LENGTH / 1_000 }, () => element).join(',')}]`;
    const parse = vi.spyOn(JSON, 'parse');
    const batch = readBatch(body, limits);
    expect(parse).toHaveBeenCalledTimes(batch.elements.length);
    expect(batch.textOf(0)).toBe(element);
  });
});

describe('scanJsonArray', () => {
  it('stops at the cap instead of scanning the rest', () => {
    expect(scanJsonArray('[1,2,3,', 2)).toEqual({ kind: 'too-many' });
  });

  it('reports unclosed strings and containers as malformed', () => {
    expect(scanJsonArray('["abc]', 10)).toEqual({ kind: 'malformed' });
    expect(scanJsonArray('[[1,2]', 10)).toEqual({ kind: 'malformed' });
  });
});
