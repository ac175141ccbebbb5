/**
 * Where to report a batch's failure so a retry can never duplicate a row (see the keying argument
 * in lambda/tables/batch-objects.ts). Lambda retries a partially failed batch from the reported
 * record on, and treats every record before it as done. So the reported position j must satisfy:
 * - every object that failed to write holds only records at or after j (nothing before j is lost);
 * - no object that was written holds records both before and at-or-after j: one wholly after j is
 *   rewritten under the same key by the retry, one wholly before j is complete, but one that
 *   straddles j would keep its later records and get them again under another key.
 * The answer is the largest such j: start at the first record of the earliest failed object, and
 * move back to the first record of any written object that straddles it, until none does.
 */

export interface WriteOutcome {
  /** Positions in the batch of the object's first and last record. */
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly written: boolean;
}

/** The batch position to report as the first failure, or null when every object was written. */
export function failureCheckpoint(outcomes: readonly WriteOutcome[]): number | null {
  const failed = outcomes.filter((outcome) => !outcome.written);
  if (failed.length === 0) return null;
  let checkpoint = Math.min(...failed.map((outcome) => outcome.firstIndex));
  const written = outcomes.filter((outcome) => outcome.written);
  for (let moved = true; moved; ) {
    moved = false;
    for (const outcome of written) {
      if (outcome.firstIndex < checkpoint && outcome.lastIndex >= checkpoint) {
        checkpoint = outcome.firstIndex;
        moved = true;
      }
    }
  }
  return checkpoint;
}
