import { describe, expect, it } from 'vitest';
import { formatJsonLines, formatTable, MAX_CELL_CHARS } from '../../../local/query-output';

const result = {
  columns: [
    { name: 'event_name', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'device', type: 'STRUCT' },
  ],
  rows: [
    { event_name: 'button_click', n: 9007199254740993n, device: { ua_browser: 'Chrome' } },
    { event_name: null, n: 1, device: null },
  ],
};

describe('query output', () => {
  it('prints an aligned table with NULL for missing values and a row count', () => {
    expect(formatTable(result).split('\n')).toEqual([
      'event_name   | n                | device',
      '-------------+------------------+------------------------',
      'button_click | 9007199254740993 | {"ua_browser":"Chrome"}',
      'NULL         | 1                | NULL',
      '(2 rows)',
    ]);
  });

  it('clips long cells in the table, never in JSON', () => {
    const long = { columns: [{ name: 'data', type: 'VARCHAR' }], rows: [{ data: 'x'.repeat(500) }] };
    expect(formatTable(long).split('\n')[2]).toHaveLength(MAX_CELL_CHARS);
    expect(formatJsonLines(long)).toContain('x'.repeat(500));
  });

  it('prints one JSON object per row, 64-bit integers with every digit', () => {
    expect(formatJsonLines(result).split('\n')).toEqual([
      '{"event_name":"button_click","n":9007199254740993,"device":{"ua_browser":"Chrome"}}',
      '{"event_name":null,"n":1,"device":null}',
    ]);
  });
});
