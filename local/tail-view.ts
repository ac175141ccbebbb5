import type { StreamRecord } from './shard-reader';

/**
 * What `npm run tail` prints, round by round, given what each read of the stream returned. Pure,
 * unit-tested; local/tail.ts does the reading and writing.
 *
 * With a count (`--last N`), the records already on the stream are only collected until tail has
 * caught up; then the N newest are printed, oldest first. `--from-start` and `--last 0` print
 * records as they are read. Either way, catching up is announced once.
 */

export interface TailStep {
  /** Records to print now, in order. */
  readonly print: readonly StreamRecord[];
  /** Said once, when tail first reaches the newest record. */
  readonly note?: string;
}

/**
 * The newest `limit` of the records collected so far, oldest first. Shards are read one after
 * the other, so records are ordered by arrival time (each shard's own order kept on ties); what
 * is dropped is older than every record kept.
 */
export function keepNewest(
  kept: readonly StreamRecord[],
  incoming: readonly StreamRecord[],
  limit: number,
): StreamRecord[] {
  if (limit <= 0) return [];
  const merged = [...kept, ...incoming].sort((a, b) => a.arrivedAt.getTime() - b.arrivedAt.getTime());
  return merged.slice(Math.max(0, merged.length - limit));
}

export class TailView {
  readonly #last: number | 'all';
  /** `on the stream`, or the look-back window tail started at. */
  readonly #where: string;
  #backlog: StreamRecord[] | undefined;
  #caughtUp = false;
  #shownBeforeCatchUp = 0;

  constructor(last: number | 'all', where: string) {
    this.#last = last;
    this.#where = where;
    this.#backlog = typeof last === 'number' && last > 0 ? [] : undefined;
  }

  /** True while records already on the stream are being collected (nothing printed yet). */
  get collecting(): boolean {
    return this.#backlog !== undefined;
  }

  step(records: readonly StreamRecord[], caughtUp: boolean): TailStep {
    let print: readonly StreamRecord[] = records;
    if (this.#backlog !== undefined) {
      this.#backlog = keepNewest(this.#backlog, records, Number(this.#last));
      if (!caughtUp) return { print: [] };
      print = this.#backlog;
      this.#backlog = undefined;
    }
    if (this.#caughtUp) return { print };
    this.#shownBeforeCatchUp += print.length;
    if (!caughtUp) return { print };
    this.#caughtUp = true;
    return { print, note: this.#note(this.#shownBeforeCatchUp) };
  }

  #note(shown: number): string {
    if (this.#last === 0) return '(waiting for new records)';
    if (shown === 0) return `(no records ${this.#where} yet; waiting for new ones)`;
    if (this.#last === 'all') {
      return `(above: ${shown === 1 ? 'the one record' : `all ${shown} records`} ${this.#where}; new ones follow)`;
    }
    const what = shown === 1 ? 'the newest record' : `the ${shown} newest records`;
    const more = shown === this.#last ? '; --last N shows more' : '';
    return `(above: ${what} ${this.#where}${more}; new ones follow)`;
  }
}
