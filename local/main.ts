import { formatBanner } from './banner';
import { startLocalCollector } from './collector';

/** `npm start`: the local collector with its emulators, until Ctrl+C. */

async function main(): Promise<void> {
  const collector = await startLocalCollector();
  console.log(formatBanner(collector));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      // A second Ctrl+C means "now".
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping (archiving what is left on the stream)…`);
    collector.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Configuration errors name the variable; the message is all the user needs.
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
