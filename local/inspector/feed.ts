/**
 * The inspector's memory: the newest items of one kind (accepted events, or quarantine lines),
 * grouped by the request that brought them, within a bound on their number and on their size, so
 * a long `npm start` under load holds a fixed amount however much it collects. Pure.
 */

export interface FeedLimits {
  /** Items kept at most; the oldest go first. */
  readonly maxItems: number;
  /** Sum of the items' sizes kept at most (the newest item is kept whatever its size). */
  readonly maxBytes: number;
}

export interface FeedItem<T> {
  readonly value: T;
  /** What the item costs to keep, e.g. the length of its JSON text. */
  readonly size: number;
}

interface Batch<T> {
  readonly receivedAt: number;
  /** Arrival order, to break ties between requests received in the same millisecond. */
  readonly order: number;
  readonly items: FeedItem<T>[];
}

export class BoundedFeed<T> {
  readonly #limits: FeedLimits;
  /** Oldest first, by (receivedAt, order). */
  #batches: Batch<T>[] = [];
  #count = 0;
  #bytes = 0;
  #nextOrder = 0;

  constructor(limits: FeedLimits) {
    if (!(limits.maxItems >= 1)) throw new RangeError('a feed keeps at least one item');
    this.#limits = limits;
  }

  get count(): number {
    return this.#count;
  }

  /** Adds the items of one request (in the order it sent them), then evicts the oldest over the limits. */
  add(receivedAt: number, items: readonly FeedItem<T>[]): void {
    if (items.length === 0) return;
    const batch: Batch<T> = { receivedAt, order: this.#nextOrder++, items: [...items] };
    // Requests mostly arrive in order: look for the place from the newest end.
    let position = this.#batches.length;
    while (position > 0 && (this.#batches[position - 1]?.receivedAt ?? 0) > receivedAt) position -= 1;
    this.#batches.splice(position, 0, batch);
    this.#count += items.length;
    for (const item of items) this.#bytes += item.size;
    this.#evict();
  }

  /**
   * Up to `limit` items that pass `filter`: the newest request first, and the items of one
   * request in the order it sent them.
   */
  newest(filter: (value: T) => boolean, limit: number): T[] {
    const found: T[] = [];
    for (let index = this.#batches.length - 1; index >= 0 && found.length < limit; index -= 1) {
      for (const item of this.#batches[index]?.items ?? []) {
        if (found.length >= limit) break;
        if (filter(item.value)) found.push(item.value);
      }
    }
    return found;
  }

  clear(): void {
    this.#batches = [];
    this.#count = 0;
    this.#bytes = 0;
  }

  #evict(): void {
    const over = () =>
      this.#count > this.#limits.maxItems || (this.#bytes > this.#limits.maxBytes && this.#count > 1);
    while (over()) {
      const oldest = this.#batches[0];
      const item = oldest?.items.shift();
      if (oldest === undefined || item === undefined) break;
      this.#count -= 1;
      this.#bytes -= item.size;
      if (oldest.items.length === 0) this.#batches.shift();
    }
  }
}
