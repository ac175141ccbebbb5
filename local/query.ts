import { parseQuerySettings, processEnvironment } from './local-config';
import { queryLocalTables } from './local-tables';
import { formatJsonLines, formatTable } from './query-output';

/**
 * `npm run query -- "SQL"`: runs SQL over the local archive with DuckDB — the tables
 * ingestion_events, event, event_parameter, user and item, with the same columns and types as
 * in Athena. Prints a table, or one JSON object per row with `--json`. Reads the S3 emulator's
 * files directly, so it works while `npm start` runs (and after it stopped).
 */

const USAGE = 'usage: npm run query -- [--json] "SELECT event_name, count(*) FROM event GROUP BY 1"';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const json = args.includes('--json');
  const statements = args.filter((arg) => arg !== '--json');
  const unknown = statements.filter((arg) => arg.startsWith('--'));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}; ${USAGE}`);
  if (statements.length !== 1) throw new Error(USAGE);
  const settings = parseQuerySettings(processEnvironment());
  const result = await queryLocalTables(statements[0] ?? '', settings);
  const text = json ? formatJsonLines(result) : formatTable(result);
  if (text !== '') process.stdout.write(`${text}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
