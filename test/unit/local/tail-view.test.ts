import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../../local/shard-reader';
import { keepNewest, TailView } from '../../../local/tail-view';

/** A record that arrived `second` seconds into the minute, on `shardId`. */
function record(name: string, second: number, shardId = 'shardId-000000000000'): StreamRecord {
  return {
    shardId,
    sequenceNumber: name,
    partitionKey: name,
    data: Buffer.from(name),
    arrivedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, second)),
  };
}

const names = (records: readonly StreamRecord[]) => records.map((entry) => entry.sequenceNumber);

describe('keepNewest', () => {
  it('keeps the newest records across shards read one after the other, oldest first', () => {
    const shardA = [record('a1', 1, 'A'), record('a2', 4, 'A'), record('a3', 6, 'A')];
    const shardB = [record('b1', 2, 'B'), record('b2', 5, 'B')];
    expect(names(keepNewest([], [...shardA, ...shardB], 3))).toEqual(['a2', 'b2', 'a3']);
  });

  it('merges what it kept with the next round', () => {
    const kept = keepNewest([], [record('r1', 1), record('r2', 2)], 2);
    expect(names(keepNewest(kept, [record('r3', 3)], 2))).toEqual(['r2', 'r3']);
  });

  it('keeps the order of a shard on equal arrival times', () => {
    expect(names(keepNewest([], [record('x', 1), record('y', 1), record('z', 1)], 2))).toEqual(['y', 'z']);
  });
});

describe('TailView', () => {
  it('with --last N prints nothing until caught up, then the N newest and a note', () => {
    const view = new TailView(2, 'on the stream');
    expect(view.step([record('r1', 1), record('r2', 2)], false)).toEqual({ print: [] });
    expect(view.collecting).toBe(true);
    const step = view.step([record('r3', 3)], true);
    expect(names(step.print)).toEqual(['r2', 'r3']);
    expect(step.note).toBe(
      '(above: the 2 newest records on the stream; --last N shows more; new ones follow)',
    );
    expect(view.collecting).toBe(false);
  });

  it('then prints each new record as it is read, with no further note', () => {
    const view = new TailView(2, 'on the stream');
    view.step([], true);
    expect(view.step([record('r4', 4)], true)).toEqual({ print: [record('r4', 4)] });
  });

  it('says when fewer records than asked for were on the stream', () => {
    const view = new TailView(10, 'of the last 15 minutes');
    expect(view.step([record('r1', 1)], true).note).toBe(
      '(above: the newest record of the last 15 minutes; new ones follow)',
    );
  });

  it('says when the stream had no record yet', () => {
    expect(new TailView(10, 'on the stream').step([], true)).toEqual({
      print: [],
      note: '(no records on the stream yet; waiting for new ones)',
    });
  });

  it('with --from-start prints records as they are read, and counts them when caught up', () => {
    const view = new TailView('all', 'on the stream');
    expect(view.collecting).toBe(false);
    expect(names(view.step([record('r1', 1)], false).print)).toEqual(['r1']);
    const step = view.step([record('r2', 2)], true);
    expect(names(step.print)).toEqual(['r2']);
    expect(step.note).toBe('(above: all 2 records on the stream; new ones follow)');
  });

  it('with --last 0 shows no earlier record and says it is waiting', () => {
    expect(new TailView(0, 'on the stream').step([], true)).toEqual({
      print: [],
      note: '(waiting for new records)',
    });
  });
});
