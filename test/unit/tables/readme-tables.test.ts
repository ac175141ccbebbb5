import { describe, expect, it } from 'vitest';
import { TABLES } from '../../../lambda/tables/catalog';
import { duckdbType, glueType } from '../../../lambda/tables/column-types';
import { catalogColumns, documentedColumns } from '../../support/readme-columns';

describe('the README column lists', () => {
  it.each(TABLES.map((table) => [table.name, table] as const))(
    'document every column and nested field of %s, with its type, and nothing else',
    (_name, table) => {
      expect(documentedColumns(table.name)).toEqual(catalogColumns(table.columns));
    },
  );
});

describe('column types', () => {
  const items = TABLES[1].columns.find((column) => column.name === 'items');

  it('render to Glue and DuckDB types of the same shape', () => {
    expect(items && glueType(items.type)).toBe(
      'array<struct<id:string,quantity:bigint,price:double,currency:string,creative_name:string,creative_slot:string>>',
    );
    expect(items && duckdbType(items.type)).toBe(
      'STRUCT("id" VARCHAR, "quantity" BIGINT, "price" DOUBLE, "currency" VARCHAR, "creative_name" VARCHAR, "creative_slot" VARCHAR)[]',
    );
  });
});
