/** What every endpoint type exposes to the stack. */
export interface CollectorEndpoint {
  /** Full URL of the collect path, as configured in the SDKs (e.g. `https://host/collect`). */
  readonly collectorUrl: string;
}

/** Checks a collect path the way the function does (`CLICKSTREAM_PATH`). */
export function checkCollectPath(owner: string, path: string): void {
  if (!/^\/[A-Za-z0-9/_.-]*$/.test(path))
    throw new Error(`${owner}: collectPath "${path}" must start with "/"`);
}
