/**
 * One browser with a fresh profile and one page, whatever drives it: the web SDK specification
 * runs unchanged in each browser the suite knows. Each kind has its own helper (chromium.ts,
 * firefox.ts, webkit.ts); a test only sees this interface.
 */

export const BROWSER_NAMES = ['chromium', 'firefox', 'webkit'] as const;
export type BrowserName = (typeof BROWSER_NAMES)[number];

/** What may cross into the page and back: JSON values. */
export type PageValue =
  | string
  | number
  | boolean
  | null
  | readonly PageValue[]
  | { readonly [key: string]: PageValue };

export interface BrowserSession {
  readonly browser: BrowserName;
  /** Loads `url` in the page and waits for its load event. */
  goto(url: string): Promise<void>;
  /**
   * Runs `pageFunction(arg)` in the page and resolves to its (awaited) result. The function is sent
   * as source text, so it may use only the page's globals and its argument. The result comes from
   * another process: callers check its shape.
   */
  evaluate<Arg extends PageValue>(pageFunction: (arg: Arg) => unknown, arg: Arg): Promise<unknown>;
  /** A PNG of the whole page as the browser renders it now. */
  screenshot(): Promise<Buffer>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * The one expression every driver evaluates: the function's source applied to its argument. Every
 * driver can evaluate a string (WebDriver classic can evaluate nothing else), so all browsers run
 * exactly the same page code.
 */
export function pageExpression<Arg extends PageValue>(pageFunction: (arg: Arg) => unknown, arg: Arg): string {
  return `(${pageFunction.toString()})(${JSON.stringify(arg)})`;
}

export const LAUNCH_TIMEOUT_MS = 30_000;
/** Bounds every single driver call (navigation, evaluation), so a hung browser fails the test. */
export const COMMAND_TIMEOUT_MS = 15_000;
