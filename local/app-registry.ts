import { APP_ID_PATTERN, APP_ID_RULE } from '../lambda/core/app-ids';
import type { AppRegistry } from '../lambda/core/ports';

/**
 * The local collector's app registry: seeded from CLICKSTREAM_APP_IDS and changed at run time
 * through the inspector's API (`/_local/apps`), so a test can register the app it is about to
 * send as — the local counterpart of `npm run apps` against a deployed stack.
 */
export class LocalAppRegistry implements AppRegistry {
  private readonly ids: Set<string>;

  constructor(seed: Iterable<string>) {
    this.ids = new Set(seed);
  }

  async isRegistered(appId: string): Promise<boolean> {
    return this.ids.has(appId);
  }

  list(): string[] {
    return [...this.ids];
  }

  /** Registers `appId`; false when it was already registered. Throws for an invalid ID. */
  add(appId: string): boolean {
    if (!APP_ID_PATTERN.test(appId)) throw new RangeError(`"${appId.slice(0, 140)}": ${APP_ID_RULE}`);
    if (this.ids.has(appId)) return false;
    this.ids.add(appId);
    return true;
  }

  /** Unregisters `appId`; false when it was not registered. */
  remove(appId: string): boolean {
    return this.ids.delete(appId);
  }
}
