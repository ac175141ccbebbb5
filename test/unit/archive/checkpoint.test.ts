import { describe, expect, it } from 'vitest';
import { failureCheckpoint } from '../../../lambda/archive/checkpoint';

const object = (firstIndex: number, lastIndex: number, written: boolean) => ({
  firstIndex,
  lastIndex,
  written,
});

describe('the failure checkpoint of a batch', () => {
  it('is null when every object was written', () => {
    expect(failureCheckpoint([object(0, 9, true), object(3, 5, true)])).toBeNull();
  });

  it('is the first record of the earliest failed object when no written object straddles it', () => {
    expect(failureCheckpoint([object(0, 3, true), object(4, 9, false), object(6, 8, true)])).toBe(4);
  });

  it('moves back to the start of a written object that holds records on both sides', () => {
    // The raw archive object (0–9) was written, a table object (5–7) was not: reporting 5 would
    // keep records 5–9 in the written object and write them again under another key on retry.
    expect(failureCheckpoint([object(0, 9, true), object(5, 7, false)])).toBe(0);
  });

  it('follows a chain of straddling objects', () => {
    expect(
      failureCheckpoint([object(6, 8, false), object(4, 7, true), object(2, 5, true), object(0, 1, true)]),
    ).toBe(2);
  });
});
