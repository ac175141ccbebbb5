import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_ID_PATTERN, APP_ID_RULE } from '../../lambda/core/app-ids';
import type { LocalAppRegistry } from '../app-registry';
import type { LocalResponse } from '../function-url-event';
import { writeResponse } from '../http-adapter';
import type { Inspector } from './inspector';
import type { ItemFilter } from './items';
import { PAGE_SECURITY_HEADERS, type PageAssets } from './page';

/**
 * The inspector's HTTP routes under `/_local/` (README "Testing your app's tracking" documents
 * them): the page, the JSON API over the inspector's view, and the app registry. Errors have the
 * collector's shape, `{"error","message","requestId"}`.
 */

export const INSPECTOR_PREFIX = '/_local';

export interface InspectorRoutesOptions {
  readonly inspector: Inspector;
  readonly apps: LocalAppRegistry;
  readonly page: PageAssets;
  /** Host names the inspector answers to (the listening host and loopback names). */
  readonly hostNames: ReadonlySet<string>;
}

/** When no `limit` is given. */
const DEFAULT_LIMIT = 100;
const LIST_PARAMETERS = ['appId', 'event_type', 'rid', 'limit'];
/** Bodies of inspector calls carry nothing; this much is read and thrown away, then the connection closes. */
const MAX_IGNORED_BODY_BYTES = 64 * 1024;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

class InspectorError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function local(
  statusCode: number,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  requestId = randomBytes(16).toString('hex'),
): LocalResponse {
  const all: Record<string, string[]> = { 'x-request-id': [requestId] };
  for (const [name, value] of Object.entries(headers)) all[name] = [value];
  return { statusCode, headers: all, body };
}

function json(statusCode: number, document: unknown, headers: Readonly<Record<string, string>> = {}) {
  return local(statusCode, { ...JSON_HEADERS, ...headers }, Buffer.from(JSON.stringify(document)));
}

function errorAnswer(error: InspectorError): LocalResponse {
  const requestId = randomBytes(16).toString('hex');
  const body = JSON.stringify({ error: error.code, message: error.message, requestId });
  return local(error.statusCode, { ...JSON_HEADERS, ...error.headers }, Buffer.from(body), requestId);
}

function allow(method: string, methods: readonly string[]): void {
  if (!methods.includes(method))
    throw new InspectorError(405, 'method_not_allowed', `Use ${methods.join(' or ')} on this path`, {
      allow: methods.join(', '),
    });
}

/** Only the listed parameters; an empty value means "no filter". */
function readQuery(query: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of query) {
    if (!allowed.includes(name)) {
      const known = allowed.length === 0 ? 'none' : allowed.join(', ');
      throw new InspectorError(
        400,
        'invalid_query',
        `Unknown query parameter "${name.slice(0, 64)}" (known: ${known})`,
      );
    }
    if (value !== '' && !values.has(name)) values.set(name, value);
  }
  return values;
}

function listQuery(query: URLSearchParams, maxItems: number): { filter: ItemFilter; limit: number } {
  const values = readQuery(query, LIST_PARAMETERS);
  const limitText = values.get('limit');
  const limit = limitText === undefined ? Math.min(DEFAULT_LIMIT, maxItems) : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > maxItems)
    throw new InspectorError(400, 'invalid_query', `limit must be a whole number from 1 to ${maxItems}`);
  const filter: ItemFilter = {
    ...(values.has('appId') ? { appId: values.get('appId') } : {}),
    ...(values.has('event_type') ? { eventType: values.get('event_type') } : {}),
    ...(values.has('rid') ? { rid: values.get('rid') } : {}),
  };
  return { filter, limit };
}

function appIdOf(segment: string): string {
  let appId: string;
  try {
    appId = decodeURIComponent(segment);
  } catch {
    throw new InspectorError(400, 'invalid_app_id', 'The app ID is not valid percent-encoding');
  }
  if (!APP_ID_PATTERN.test(appId)) throw new InspectorError(400, 'invalid_app_id', APP_ID_RULE);
  return appId;
}

/** Reads what a client sent with an inspector call and drops it; false when it was too much. */
function discardBody(request: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_IGNORED_BODY_BYTES) {
        resolve(false);
        request.pause();
      }
    });
    request.on('end', () => resolve(true));
    request.on('error', () => resolve(false));
  });
}

function hostName(host: string | undefined): string {
  if (host === undefined) return '';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.split(':')[0] ?? '';
}

/**
 * A web page the user visits may send requests to 127.0.0.1 from the browser: reads it cannot see
 * (no CORS headers), but changes it could make. Changes are taken only without an `Origin` (curl,
 * test code) or from the inspector's own page; a foreign `Host` (DNS rebinding) is refused outright.
 */
function checkCaller(request: IncomingMessage, method: string, hostNames: ReadonlySet<string>): void {
  if (!hostNames.has(hostName(request.headers.host).toLowerCase()))
    throw new InspectorError(403, 'host_not_allowed', 'The inspector answers only on loopback host names');
  const origin = request.headers.origin;
  if (
    method !== 'GET' &&
    method !== 'HEAD' &&
    origin !== undefined &&
    origin !== `http://${request.headers.host}`
  )
    throw new InspectorError(403, 'origin_not_allowed', 'Changes are accepted from the inspector page only');
}

async function route(options: InspectorRoutesOptions, method: string, path: string, query: URLSearchParams) {
  const { inspector, apps } = options;
  const sub = path.slice(INSPECTOR_PREFIX.length);
  const asset = options.page.get(sub);
  if (asset !== undefined) {
    allow(method, ['GET', 'HEAD']);
    readQuery(query, []);
    return local(200, { 'content-type': asset.contentType, ...PAGE_SECURITY_HEADERS }, asset.body);
  }
  switch (sub) {
    case '':
      return local(308, { location: `${INSPECTOR_PREFIX}/` }, Buffer.alloc(0));
    case '/events':
    case '/quarantine': {
      allow(method, ['GET']);
      const { filter, limit } = listQuery(query, inspector.maxItems);
      await sync(inspector);
      const items = sub === '/events' ? inspector.events(filter, limit) : inspector.quarantine(filter, limit);
      return json(200, { items });
    }
    case '/summary':
      allow(method, ['GET']);
      readQuery(query, []);
      await sync(inspector);
      return json(200, inspector.summary());
    case '/reset':
      allow(method, ['POST']);
      readQuery(query, []);
      // Whatever was stored up to now is read first, so it cannot surface after the reset.
      await sync(inspector);
      return json(200, { since: inspector.reset() });
    case '/apps':
      allow(method, ['GET']);
      readQuery(query, []);
      return json(200, { apps: apps.list().sort() });
  }
  if (sub.startsWith('/apps/') && !sub.slice('/apps/'.length).includes('/')) {
    allow(method, ['GET', 'PUT', 'DELETE']);
    readQuery(query, []);
    const appId = appIdOf(sub.slice('/apps/'.length));
    if (method === 'GET') return json(200, { appId, registered: apps.list().includes(appId) });
    const changed = method === 'PUT' ? apps.add(appId) : apps.remove(appId);
    return json(200, { appId, registered: method === 'PUT', changed });
  }
  throw new InspectorError(
    404,
    'not_found',
    'No such inspector endpoint (see README "Testing your app\'s tracking")',
  );
}

async function sync(inspector: Inspector): Promise<void> {
  try {
    await inspector.sync();
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InspectorError(
      503,
      'inspector_unavailable',
      `Cannot read the stream or the bucket: ${reason}`,
      {
        'retry-after': '1',
      },
    );
  }
}

/** The adapter's `intercept`: answers every request under `/_local/`, and only those. */
export function inspectorRoutes(options: InspectorRoutesOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const [path = '/', queryText = ''] = (request.url ?? '/').split(/\?(.*)/s);
    if (path !== INSPECTOR_PREFIX && !path.startsWith(`${INSPECTOR_PREFIX}/`)) return false;
    const method = (request.method ?? 'GET').toUpperCase();
    const complete = await discardBody(request);
    let answer: LocalResponse;
    try {
      checkCaller(request, method, options.hostNames);
      answer = await route(options, method, path, new URLSearchParams(queryText));
    } catch (error) {
      if (!(error instanceof InspectorError)) throw error;
      answer = errorAnswer(error);
    }
    writeResponse(response, answer, !complete);
    return true;
  };
}
