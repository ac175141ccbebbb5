import { ServiceUnavailableError } from './errors';
import type { AppRegistry } from './ports';

/** The apps of the configuration, fixed for the life of the function. */
export function staticAppRegistry(appIds: ReadonlySet<string>): AppRegistry {
  return { isRegistered: async (appId) => appIds.has(appId) };
}

export interface RefreshingRegistryOptions {
  /** Reads the current list (e.g. a cached parameter); throws when it cannot. */
  readonly read: () => Promise<ReadonlySet<string>>;
  /** After a failed read, serve the last good list this long before reading again. */
  readonly failureBackoffMs: number;
  readonly retryAfterSeconds: number;
  /** Every failed read (count it). */
  readonly onReadFailure: (error: unknown) => void;
  /** The first failed read after a good one (log it once, not per request). */
  readonly onOutageStart: (error: unknown) => void;
  readonly now: () => number;
}

/**
 * A registry read at run time, so apps can be added or removed without a deploy. When the source
 * cannot be read (throttled, or access denied after a change), it keeps serving the last good
 * list; with no good list yet it answers 503, because the app may well be registered and the
 * clients keep their data and retry — a 403 would be a lie.
 */
export function refreshingAppRegistry(options: RefreshingRegistryOptions): AppRegistry & {
  /** Reads now (the function does this at cold start); never throws. */
  refresh(): Promise<void>;
} {
  let lastGood: ReadonlySet<string> | undefined;
  let failedAt: number | undefined;
  let reading: Promise<void> | undefined;

  const readOnce = async (): Promise<void> => {
    try {
      lastGood = await options.read();
      failedAt = undefined;
    } catch (error) {
      options.onReadFailure(error);
      if (failedAt === undefined) options.onOutageStart(error);
      failedAt = options.now();
    }
  };
  // Concurrent requests share one read.
  const refresh = (): Promise<void> => {
    reading ??= readOnce().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  return {
    refresh,
    async isRegistered(appId) {
      const backingOff = failedAt !== undefined && options.now() - failedAt < options.failureBackoffMs;
      if (!backingOff) await refresh();
      if (lastGood === undefined) {
        throw new ServiceUnavailableError(
          'registry_unavailable',
          'The collector cannot read its app registry right now; retry later',
          options.retryAfterSeconds,
        );
      }
      return lastGood.has(appId);
    },
  };
}
