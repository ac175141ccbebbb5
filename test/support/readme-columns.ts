import { readFileSync } from 'node:fs';
import type { Column, ColumnType } from '../../lambda/tables/column-types';

/**
 * The column lists of the README's "Event tables" section, read back so tests can hold the README,
 * the catalog (lambda/tables/catalog.ts) and the synthesized Glue tables to the same columns. Each
 * table has a heading `#### \`name\`` followed by a `| Column | Type | Value |` table; nested fields
 * are written as `device.ua_browser`, fields of array elements as `items[].id`.
 */

export interface DocumentedColumn {
  readonly path: string;
  /** `string`, `bigint`, …, `struct`, `array<struct>`, `array<string>`. */
  readonly type: string;
}

const README = new URL('../../README.md', import.meta.url);

export function documentedColumns(table: string): DocumentedColumn[] {
  const lines = readFileSync(README, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === `#### \`${table}\``);
  if (start < 0) return [];
  const columns: DocumentedColumn[] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    const match = /^`([^`]+)`$/.exec(cells[1] ?? '');
    if (line.startsWith('| Column')) inTable = true;
    else if (inTable && match?.[1] !== undefined) columns.push({ path: match[1], type: cells[2] ?? '' });
    else if (inTable && line.trim() === '') break;
  }
  return columns;
}

/** The short type the README gives a column. */
function shortType(type: ColumnType): string {
  if (type.kind === 'struct') return 'struct';
  if (type.kind === 'array') return `array<${shortType(type.of)}>`;
  return type.kind;
}

/** Every column and nested field of a catalog table, as the README writes them. */
export function catalogColumns(columns: readonly Column[], prefix = ''): DocumentedColumn[] {
  return columns.flatMap((column) => {
    const path = `${prefix}${column.name}`;
    const own = { path, type: shortType(column.type) };
    const element = column.type.kind === 'array' ? column.type.of : column.type;
    if (element.kind !== 'struct') return [own];
    const nestedPrefix = column.type.kind === 'array' ? `${path}[].` : `${path}.`;
    return [own, ...catalogColumns(element.fields, nestedPrefix)];
  });
}

type GlueNode =
  | { kind: 'scalar'; name: string }
  | { kind: 'array'; of: GlueNode }
  | { kind: 'struct'; fields: Map<string, GlueNode> };

/** Parses a Glue (Hive) type string such as `array<struct<id:string,n:bigint>>`. */
function parseGlueType(text: string): GlueNode {
  let position = 0;
  const read = (): GlueNode => {
    const name = /^[a-z]+/.exec(text.slice(position))?.[0] ?? '';
    position += name.length;
    if (name === 'array') {
      position += 1;
      const of = read();
      position += 1;
      return { kind: 'array', of };
    }
    if (name === 'struct') {
      position += 1;
      const fields = new Map<string, GlueNode>();
      while (text[position] !== '>') {
        const field = /^[A-Za-z0-9_]+/.exec(text.slice(position))?.[0] ?? '';
        position += field.length + 1;
        fields.set(field, read());
        if (text[position] === ',') position += 1;
      }
      position += 1;
      return { kind: 'struct', fields };
    }
    return { kind: 'scalar', name };
  };
  return read();
}

function short(node: GlueNode): string {
  if (node.kind === 'struct') return 'struct';
  if (node.kind === 'array') return `array<${short(node.of)}>`;
  return node.name;
}

/** The short type at `path` (e.g. `items[].price`) among a Glue table's columns, or undefined. */
export function glueTypeAt(
  columns: readonly { Name: string; Type: string }[],
  path: string,
): string | undefined {
  const [top, ...rest] = path.split('.');
  const column = columns.find((candidate) => candidate.Name === top?.replace('[]', ''));
  if (column === undefined) return undefined;
  let node: GlueNode | undefined = parseGlueType(column.Type);
  const steps = [top ?? '', ...rest];
  for (const [index, step] of steps.entries()) {
    if (index > 0) {
      if (node?.kind !== 'struct') return undefined;
      node = node.fields.get(step.replace('[]', ''));
    }
    if (step.endsWith('[]')) node = node?.kind === 'array' ? node.of : undefined;
  }
  return node === undefined ? undefined : short(node);
}
