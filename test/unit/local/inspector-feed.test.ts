import { describe, expect, it } from 'vitest';
import { BoundedFeed } from '../../../local/inspector/feed';

/** The inspector's bounded memory: the newest items within a count and a size, newest request first. */

const item = (value: string, size = 1) => ({ value, size });
const all = () => true;

describe('BoundedFeed', () => {
  it('lists the newest request first and the items of a request in the order sent', () => {
    const feed = new BoundedFeed<string>({ maxItems: 10, maxBytes: 1_000 });
    feed.add(1_000, [item('a1'), item('a2')]);
    feed.add(2_000, [item('b1'), item('b2')]);

    expect(feed.newest(all, 10)).toEqual(['b1', 'b2', 'a1', 'a2']);
  });

  it('orders by receive time even when a request is read late, and by arrival within one millisecond', () => {
    const feed = new BoundedFeed<string>({ maxItems: 10, maxBytes: 1_000 });
    feed.add(3_000, [item('late-read-newer')]);
    feed.add(1_000, [item('oldest')]);
    feed.add(3_000, [item('same-ms-later')]);

    expect(feed.newest(all, 10)).toEqual(['same-ms-later', 'late-read-newer', 'oldest']);
  });

  it('keeps at most maxItems, dropping the oldest first', () => {
    const feed = new BoundedFeed<string>({ maxItems: 3, maxBytes: 1_000 });
    feed.add(1, [item('a1'), item('a2')]);
    feed.add(2, [item('b1'), item('b2')]);

    expect(feed.count).toBe(3);
    expect(feed.newest(all, 10)).toEqual(['b1', 'b2', 'a2']);
  });

  it('keeps at most maxBytes of items, but always the newest one', () => {
    const feed = new BoundedFeed<string>({ maxItems: 100, maxBytes: 10 });
    feed.add(1, [item('small-1', 4), item('small-2', 4)]);
    feed.add(2, [item('medium', 5)]);
    expect(feed.newest(all, 10)).toEqual(['medium', 'small-2']);

    feed.add(3, [item('huge', 50)]);
    expect(feed.newest(all, 10)).toEqual(['huge']);
  });

  it('applies the filter before the limit', () => {
    const feed = new BoundedFeed<string>({ maxItems: 10, maxBytes: 1_000 });
    feed.add(1, [item('keep-1'), item('skip'), item('keep-2')]);
    feed.add(2, [item('skip'), item('keep-3')]);

    expect(feed.newest((value) => value.startsWith('keep'), 2)).toEqual(['keep-3', 'keep-1']);
  });

  it('forgets everything on clear', () => {
    const feed = new BoundedFeed<string>({ maxItems: 10, maxBytes: 1_000 });
    feed.add(1, [item('a')]);
    feed.clear();

    expect(feed.count).toBe(0);
    expect(feed.newest(all, 10)).toEqual([]);
  });
});
