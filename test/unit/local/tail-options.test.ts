import { describe, expect, it } from 'vitest';
import { DEFAULT_LAST, parseTailArgs, TailArgsError } from '../../../local/tail-options';

describe('npm run tail options', () => {
  it(`first shows the ${DEFAULT_LAST} newest records when given no option`, () => {
    expect(parseTailArgs([])).toEqual({ last: DEFAULT_LAST, json: false });
  });

  it.each([
    [['--last', '3'], { last: 3, json: false }],
    [['--last=25', '--json'], { last: 25, json: true }],
    [['--last', '0'], { last: 0, json: false }],
    [['--from-start'], { last: 'all', json: false }],
    [['--json', '--from-start'], { last: 'all', json: true }],
  ])('reads %j', (args, expected) => {
    expect(parseTailArgs(args)).toEqual(expected);
  });

  it.each([['--help'], ['-h']])('answers %s with the usage', (flag) => {
    expect(parseTailArgs([flag])).toBe('help');
  });

  it.each([
    [['--last', 'ten'], '--last: expected a whole number of records, got "ten"'],
    [['--last', '-1'], '--last'],
    [['--last', '2.5'], '--last: expected a whole number of records, got "2.5"'],
    [['--last', '3', '--from-start'], '--last and --from-start exclude each other'],
    [['--from-stat'], "Unknown option '--from-stat'"],
    [['json'], 'json'],
  ])('refuses %j, saying why and how to call it', (args, message) => {
    const parse = () => parseTailArgs(args);
    expect(parse).toThrow(TailArgsError);
    expect(parse).toThrow(message);
    expect(parse).toThrow('usage: npm run tail');
  });
});
