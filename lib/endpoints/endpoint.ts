/** What every endpoint type exposes to the stack. */
export interface CollectorEndpoint {
  /** Full URL of the collect path, as configured in the SDKs (e.g. `https://host/collect`). */
  readonly collectorUrl: string;
}
