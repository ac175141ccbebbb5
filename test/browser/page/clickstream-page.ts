import { ClickstreamAnalytics, SendMode } from '@aws/clickstream-web';

/**
 * The page under test: the real web SDK, driven from the test through `window.clickstreamHarness`
 * (each browser driver's evaluate). It only calls the SDK's public API and reads the SDK's own
 * storage; what the SDK sends is observed from outside, on the wire (the collector tap).
 */

export interface HarnessConfig {
  readonly appId: string;
  readonly endpoint: string;
  readonly sendMode: 'Immediate' | 'Batch';
  /** Batch mode only: how often the SDK flushes its stored events. */
  readonly sendEventsInterval?: number;
}

/** Where the SDK keeps events (0.12.6, `StorageUtil`): raw text, an unterminated JSON array. */
export interface SdkStorage {
  /** Events waiting for the next batch flush. */
  readonly pending: string;
  /** Events whose request failed; the SDK resends them later. */
  readonly failed: string;
}

export type AttributeValue = string | number | boolean;

export interface ClickstreamHarness {
  init(config: HarnessConfig): boolean;
  record(name: string, attributes?: Record<string, AttributeValue>): void;
  setUserId(userId: string | null): void;
  setUserAttributes(attributes: Record<string, AttributeValue>): void;
  storage(): SdkStorage;
}

declare global {
  interface Window {
    clickstreamHarness: ClickstreamHarness;
  }
}

// The SDK's storage keys (StorageUtil.prefix + name); read-only here.
const STORAGE_PREFIX = 'aws-solution/clickstream-web/';

window.clickstreamHarness = {
  init: (config) =>
    ClickstreamAnalytics.init({
      appId: config.appId,
      endpoint: config.endpoint,
      sendMode: config.sendMode === 'Batch' ? SendMode.Batch : SendMode.Immediate,
      ...(config.sendEventsInterval === undefined ? {} : { sendEventsInterval: config.sendEventsInterval }),
      isLogEvents: false,
    }),
  record: (name, attributes) => ClickstreamAnalytics.record({ name, ...(attributes ? { attributes } : {}) }),
  setUserId: (userId) => ClickstreamAnalytics.setUserId(userId),
  setUserAttributes: (attributes) => ClickstreamAnalytics.setUserAttributes(attributes),
  storage: () => ({
    pending: localStorage.getItem(`${STORAGE_PREFIX}eventsKey`) ?? '',
    failed: localStorage.getItem(`${STORAGE_PREFIX}failedEventsKey`) ?? '',
  }),
};
