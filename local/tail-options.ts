import { parseArgs } from 'node:util';

/**
 * The options of `npm run tail`. Pure, unit-tested; local/tail.ts reads the stream.
 *
 * Tail first shows the newest records already on the stream, so the quick start's order — send
 * a request, then start tail — shows that request; then it follows new records.
 */

export const DEFAULT_LAST = 10;

export const USAGE =
  'usage: npm run tail [-- [--last N | --from-start] [--json]]\n' +
  `  --last N      first show the N newest records already on the stream (default ${DEFAULT_LAST}; 0: only new ones)\n` +
  '  --from-start  first show every record still on the stream, oldest first\n' +
  '  --json        print whole records, one JSON object per line';

export interface TailOptions {
  /** How many of the records already on the stream to show first: a count, or all of them. */
  readonly last: number | 'all';
  readonly json: boolean;
}

export class TailArgsError extends Error {
  override readonly name = 'TailArgsError';
}

/** Parses tail's arguments; `help` when they ask for the usage; throws `TailArgsError` otherwise. */
export function parseTailArgs(args: readonly string[]): TailOptions | 'help' {
  let values: { last?: string; 'from-start'?: boolean; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        last: { type: 'string' },
        'from-start': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new TailArgsError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help === true) return 'help';
  const json = values.json === true;
  if (values['from-start'] === true) {
    if (values.last !== undefined)
      throw new TailArgsError(`--last and --from-start exclude each other\n${USAGE}`);
    return { last: 'all', json };
  }
  if (values.last === undefined) return { last: DEFAULT_LAST, json };
  if (!/^\d+$/.test(values.last)) {
    throw new TailArgsError(`--last: expected a whole number of records, got "${values.last}"\n${USAGE}`);
  }
  return { last: Number(values.last), json };
}
