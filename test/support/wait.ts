/** Every wait in the tests is a bounded poll: these two are the only ones. */

const POLL_MS = 100;

/** Polls `probe` every 100 ms until it gives a value; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Polls `condition` every 100 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  await eventually(what, async () => ((await condition()) ? true : undefined), timeoutMs);
}
