import type { InspectorSummary } from '../../local/inspector/inspector';
import type { AcceptedEvent, QuarantineItem } from '../../local/inspector/items';

/**
 * The local inspector's JSON API (`/_local/`) as a user's end-to-end test calls it, plus a plain
 * POST to the collect path: what the inspector tests, the browser test and the README example
 * share.
 */

interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export interface InspectorClient {
  /** Any call under `/_local/`: its status, headers and JSON body (undefined when not JSON). */
  call(method: string, path: string, init?: RequestInit): Promise<ApiAnswer>;
  events(query?: Readonly<Record<string, string>>): Promise<AcceptedEvent[]>;
  quarantine(query?: Readonly<Record<string, string>>): Promise<QuarantineItem[]>;
  summary(): Promise<InspectorSummary>;
  /** Resolves to the new start of the view. */
  reset(): Promise<string>;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function inspectorClient(collectorUrl: string): InspectorClient {
  const call = async (method: string, path: string, init: RequestInit = {}): Promise<ApiAnswer> => {
    const response = await fetch(`${collectorUrl}/_local${path}`, { ...init, method, redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parsed(text), text };
  };
  const ok = async (method: string, path: string): Promise<unknown> => {
    const answer = await call(method, path);
    if (answer.status !== 200) throw new Error(`${method} /_local${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  const list = async (kind: string, query: Readonly<Record<string, string>>) => {
    const search = new URLSearchParams(query).toString();
    const body = (await ok('GET', `/${kind}${search === '' ? '' : `?${search}`}`)) as { items: unknown[] };
    return body.items;
  };
  return {
    call,
    events: async (query = {}) => (await list('events', query)) as AcceptedEvent[],
    quarantine: async (query = {}) => (await list('quarantine', query)) as QuarantineItem[],
    summary: async () => (await ok('GET', '/summary')) as InspectorSummary,
    reset: async () => ((await ok('POST', '/reset')) as { since: string }).since,
  };
}

/** POSTs `body` to the collect path as an SDK would; resolves to the answer (its rid in `x-request-id`). */
export function postToCollector(
  collectorUrl: string,
  query: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>> = { 'content-type': 'application/json; charset=utf-8' },
): Promise<Response> {
  const bytes = typeof body === 'string' ? body : new Uint8Array(body);
  return fetch(`${collectorUrl}/collect?${query}`, { method: 'POST', headers, body: bytes });
}
