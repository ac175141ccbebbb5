import { stringify } from 'lossless-json';
import type { JsonCell, QueryResult } from './local-tables';

/** How `npm run query` prints a result: an aligned text table, or one JSON object per row. Pure. */

/** Longest cell shown in the table view; `--json` always prints whole values. */
export const MAX_CELL_CHARS = 60;

function cellText(value: JsonCell): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return value;
  return stringify(value) ?? 'NULL';
}

function clip(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS - 1)}…` : flat;
}

export function formatTable(result: QueryResult): string {
  const names = result.columns.map((column) => column.name);
  const cells = result.rows.map((row) => names.map((name) => clip(cellText(row[name] ?? null))));
  const widths = names.map((name, index) =>
    Math.max(name.length, ...cells.map((row) => row[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  return [line(names), rule, ...cells.map(line), count].join('\n');
}

/** One JSON object per row; 64-bit integers keep every digit. */
export function formatJsonLines(result: QueryResult): string {
  return result.rows.map((row) => stringify(row) ?? '{}').join('\n');
}
