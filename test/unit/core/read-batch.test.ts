import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonArray } from '../../../lambda/core/body/json-array';
import { readBatch } from '../../../lambda/core/body/read-batch';
import { BadRequestError, PayloadTooLargeError } from '../../../lambda/core/errors';
import { oddJsonText } from '../../support/json-text';

const limits = { maxEvents: 1_000, maxEventDepth: 32 };

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
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

function readBatchVerdict(text: string): unknown[] | 'refused' {
  try {
    return readBatch(text, { maxEvents: 1_000_000, maxEventDepth: 1_000 }).map((element) => element.value);
  } catch (error) {
    if (error instanceof BadRequestError) return 'refused';
    throw error;
  }
}

describe('readBatch', () => {
  it('gives each element its exact text, however JSON.stringify would spell it', () => {
    const text = ' [ 12345678901234567890 , 10.0,1e2, -0 ,"\\u00e9\\/", {"b":1,"a":[ ]} ] ';
    expect(readBatch(text, limits).map((element) => element.text)).toEqual([
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
    expect(readBatch(text, limits).map((element) => element.value)).toEqual(JSON.parse(text));
  });

  it('reads an empty array as no events', () => {
    expect(readBatch(' [ ] ', limits)).toEqual([]);
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
    expect(errorCode(() => readBatch(text, limits))).toBe(code);
  });

  it('answers 413 for more elements than the cap, without parsing any', () => {
    const body = `[${'0,'.repeat(1_000)}0]`;
    expect(errorCode(() => readBatch(body, limits))).toBe('too_many_events');
    expect(readBatch(`[${'0,'.repeat(999)}0]`, limits)).toHaveLength(1_000);
  });

  it('passes an element nested deeper than the limit on unparsed, and parses the others', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    const batch = readBatch(`[{"a":1},${deep}]`, limits);
    expect(batch[0]).toMatchObject({ value: { a: 1 }, tooDeep: false });
    expect(batch[1]).toMatchObject({ text: deep, value: undefined, tooDeep: true });
  });

  it('counts the event object itself as the first level', () => {
    const atLimit = `${'['.repeat(32)}${']'.repeat(32)}`;
    expect(readBatch(`[${atLimit},[${atLimit}]]`, limits).map((element) => element.tooDeep)).toEqual([
      false,
      true,
    ]);
  });

  it('accepts exactly the arrays JSON.parse accepts, with the same values (generated JSON)', () => {
    fc.assert(
      fc.property(
        fc.array(oddJsonText(), { maxLength: 8 }),
        fc.constantFrom('', ' ', '\n\t', '\r\n  '),
        (elements, gap) => {
          const text = `${gap}[${gap}${elements.join(`${gap},${gap}`)}${gap}]${gap}`;
          const batch = readBatch(text, { maxEvents: 100, maxEventDepth: 1_000 });
          expect(batch.map((element) => element.text)).toEqual(elements);
          expect(batch.map((element) => element.value)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on arbitrary and mangled texts', () => {
    const mangled = fc
      .tuple(fc.array(oddJsonText(), { maxLength: 4 }), fc.nat(), fc.string({ maxLength: 3 }))
      .map(([elements, at, insert]) => {
        const text = `[${elements.join(',')}]`;
        const position = at % (text.length + 1);
        return text.slice(0, position) + insert + text.slice(position + (at % 2));
      });
    fc.assert(
      fc.property(fc.oneof(mangled, fc.string({ maxLength: 12 })), (text) => {
        expect(readBatchVerdict(text)).toEqual(jsonParseVerdict(text));
      }),
      { numRuns: 2_000 },
    );
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
