import fc from 'fast-check';

/**
 * Generators of JSON *texts* with the spellings a second `JSON.stringify` would change: integers
 * beyond 2^53, `10.0`, `1e2`, `-0`, `\u00e9` and `\/` escapes, escaped surrogate pairs, whitespace
 * inside objects and arrays. Values are written as text on purpose, so tests can check that what
 * reaches the stream is these exact characters.
 */

const ODD_NUMBERS = [
  '12345678901234567890',
  '-9223372036854775808',
  '10.0',
  '1e2',
  '1E-7',
  '-0',
  '0.1',
  '1e400',
  '99.90',
];
const ODD_STRINGS = [
  '"\\u00e9t\\u00E9"',
  '"caf\u00e9 \u2713 \ud83d\ude00"',
  '"\\ud83d\\ude00"',
  '"a\\/b"',
  '"quote \\" and \\\\ backslash"',
  '"line\\nbreak\\ttab"',
  '"}]{[,"',
  '""',
];

const space = fc.constantFrom('', ' ', '\n  ');
const key = fc.oneof(
  fc.constantFrom('"a"', '"__proto__"', '"\\u0041"', '"k e y"'),
  fc.string({ maxLength: 4 }).map((text) => JSON.stringify(text)),
);

const oddNumberText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...ODD_NUMBERS),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  );

const oddStringText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...ODD_STRINGS),
    fc.string({ maxLength: 8 }).map((text) => JSON.stringify(text)),
  );

const scalarText = (): fc.Arbitrary<string> =>
  fc.oneof(oddNumberText(), oddStringText(), fc.constantFrom('true', 'false', 'null'));

function objectText(members: fc.Arbitrary<string[]>, gap: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(members, gap)
    .map(([entries, padding]) => `{${padding}${entries.join(`,${padding}`)}${padding}}`);
}

/** Any JSON value as text, nested up to a few levels. */
export const oddJsonText = (): fc.Arbitrary<string> =>
  fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalarText(),
      fc
        .tuple(fc.array(tie('value'), { maxLength: 3 }), space)
        .map(([items, gap]) => `[${gap}${items.join(`,${gap}`)}${gap}]`),
      objectText(
        fc.array(
          fc.tuple(key, tie('value')).map(([name, value]) => `${name}:${value}`),
          { maxLength: 3 },
        ),
        space,
      ),
    ),
  })).value;

/** A JSON object text whose members are the given `"name":value` texts, in a shuffled order. */
function shuffledObject(members: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return objectText(
    members.chain((entries) =>
      fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
    ),
    space,
  );
}

const attributesText = fc
  .array(
    fc.tuple(key, oddJsonText()).map(([name, value]) => `${name}:${value}`),
    { maxLength: 4 },
  )
  .chain((members) => shuffledObject(fc.constant(members)));

const userText = fc
  .array(
    fc.tuple(
      fc.constantFrom('"_user_id"', '"plan"', '"age"'),
      oddJsonText(),
      fc.integer({ min: 0, max: 2 ** 45 }),
    ),
    { maxLength: 3 },
  )
  .map((attributes) =>
    attributes.map(([name, value, setAt]) => `${name}:{"value":${value},"set_timestamp":${setAt}}`),
  )
  .chain((members) => shuffledObject(fc.constant(members)));

const itemsText = fc.array(attributesText, { maxLength: 3 }).map((items) => `[${items.join(',')}]`);

/**
 * An event text the default (lenient) validation accepts, with odd values in its attributes, user
 * and items, and its members in any order.
 */
export const validEventText = (appId = 'test_app'): fc.Arbitrary<string> =>
  fc
    .record({
      id: fc.uuid(),
      timestamp: fc.oneof(
        fc.constant('1700000000000'),
        fc.constant('12345678901234567'),
        fc.integer({ min: 0 }).map(String),
      ),
      attributes: attributesText,
      user: userText,
      items: itemsText,
      extra: fc.array(
        fc.tuple(fc.constantFrom('"custom"', '"host_name"', '"zone_offset"'), fc.constantFrom('null', '"x"')),
        { maxLength: 2 },
      ),
    })
    .map(({ id, timestamp, attributes, user, items, extra }) => [
      `"event_type":"button_click"`,
      `"event_id":"${id}"`,
      `"timestamp":${timestamp}`,
      `"app_id":"${appId}"`,
      `"attributes":${attributes}`,
      `"user":${user}`,
      `"items":${items}`,
      ...extra
        .filter(([name, value]) => !(name === '"zone_offset"' && value === '"x"'))
        .map(([name, value]) => `${name}:${value}`),
    ])
    .chain((members) => shuffledObject(fc.constant(members)));

/** An element the lenient validation refuses: what the downstream processing could not make a row of. */
export const invalidEventText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('0', '"event"', 'null', '[1,2]', 'true'),
    fc.uuid().map((id) => `{"event_type":"x","event_id":"${id}","timestamp":"soon","app_id":"test_app"}`),
    fc.uuid().map((id) => `{"event_id":"${id}","timestamp":1.5,"app_id":"test_app"}`),
    fc.constant('{"event_type":"no id","timestamp":1700000000000,"app_id":"test_app"}'),
    fc.uuid().map((id) => `{"event_id":"${id}","timestamp":1700000000000,"app_id":" "}`),
  );
