import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REDACTED } from '../../../lambda/observability/request-log';
import { createTelemetry } from '../../../lambda/observability/telemetry';
import { sampleEvent } from '../../support/events';
import type { RequestSpec } from '../../support/lambda-events';
import { memoryCollector } from '../../support/memory-collector';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXNlY3JldA';
const COOKIE = 'session=cookie-secret-value';
const CREDENTIALS = { authorization: `Bearer ${TOKEN}`, cookie: COOKIE };

/**
 * Everything the handler writes to stdout and stderr (Powertools logs warnings there) while it
 * answers one request, at DEBUG level, one entry per line.
 */
async function logOf(env: Record<string, string>, request: RequestSpec): Promise<string[]> {
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', env.POWERTOOLS_LOGGER_LOG_EVENT ?? 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  const written: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  };
  const writes = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  try {
    const telemetry = { ...createTelemetry(), logger: new Logger({ serviceName: 'test' }) };
    const collector = memoryCollector({ ...env }, { telemetry });
    await collector.send(request);
  } finally {
    for (const write of writes) write.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line !== '');
}

async function logOfCredentialedRequest(env: Record<string, string>): Promise<string> {
  const lines = await logOf(env, {
    query: 'appId=test_app',
    headers: { ...CREDENTIALS, 'user-agent': 'UA/1' },
    body: JSON.stringify([sampleEvent(), { event_type: 'bad' }]),
  });
  return lines.join('\n');
}

describe('request logging', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('never logs tokens or cookies, even with POWERTOOLS_LOGGER_LOG_EVENT=true and DEBUG logs', async () => {
    const log = await logOfCredentialedRequest({ POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    expect(log).toContain('"request"');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('cookie-secret-value');
    expect(log).not.toContain('secret-user');
  });

  it('logs the request with its credentials replaced by a fixed marker', async () => {
    const log = await logOfCredentialedRequest({ POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    const line = log.split('\n').find((entry) => entry.includes('"message":"request"'));
    const logged = JSON.parse(line ?? '{}').request;
    expect(logged.headers).toMatchObject({ authorization: REDACTED, 'user-agent': 'UA/1' });
    // A function URL passes cookies in their own array; other shapes in the header.
    expect([undefined, REDACTED]).toContain(logged.headers.cookie);
    expect(logged.cookies.length + (logged.headers.cookie === undefined ? 0 : 1)).toBeGreaterThan(0);
    expect(logged.cookies.every((cookie: string) => cookie === REDACTED)).toBe(true);
  });

  it('logs no request line when request logging is off', async () => {
    const log = await logOfCredentialedRequest({ POWERTOOLS_LOGGER_LOG_EVENT: 'false' });
    expect(log).not.toContain('"message":"request"');
    expect(log).not.toContain(TOKEN);
  });
});

/**
 * A refused request is logged at INFO: its line must stay small whatever the client sent, or one
 * hostile client could fill CloudWatch Logs (billed per GB) with megabytes per request.
 */
describe('the log lines of a refused request', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const HUGE = 200_000;
  const huge = (unit: string) => unit.repeat(Math.ceil(HUGE / unit.length)).slice(0, HUGE);
  /** 400 headers of 1 KB each, with names of 1 KB: far more than any real client sends. */
  const manyHeaders = Object.fromEntries(
    Array.from({ length: 400 }, (_, index) => [
      `x-${index}-${'n'.repeat(1_000)}`,
      huge('v"\\').slice(0, 1_000),
    ]),
  );
  const hostile: Record<string, RequestSpec> = {
    '403 for a huge unknown appId': { query: `appId=${huge('a')}`, body: '[]' },
    '403 with a huge user agent, uri and many headers': {
      query: `appId=nope&platform=${huge('p')}&extra=${huge('"x')}`,
      headers: { 'user-agent': huge('Mozilla/5.0 "'), ...manyHeaders },
      body: '[]',
    },
    '400 for a huge body that is not JSON': { query: 'appId=test_app', body: huge('{"\u0001') },
    '404 for a huge path': { path: `/${huge('p')}`, query: `appId=${huge('a')}` },
    '413 for a body over the cap': { query: 'appId=test_app', body: huge('x').repeat(15) },
  };
  /** Logged lines of one request at most this long: the outcome line is far smaller. */
  const LINE_BUDGET = 16 * 1024;

  for (const [name, request] of Object.entries(hostile)) {
    for (const logRequests of ['false', 'true']) {
      it(`${name}: every line is under 16 KiB, with request logging ${logRequests === 'true' ? 'on' : 'off'}, and carries no credentials`, async () => {
        const lines = await logOf(
          { POWERTOOLS_LOGGER_LOG_EVENT: logRequests },
          { ...request, headers: { ...request.headers, ...CREDENTIALS } },
        );
        const refused = lines.filter((line) => line.includes('"message":"request refused"'));
        expect(refused).toHaveLength(1);
        expect(lines.some((line) => line.includes('"message":"request"'))).toBe(logRequests === 'true');
        for (const line of lines) {
          expect(line.length).toBeLessThan(LINE_BUDGET);
          expect(line).not.toContain(TOKEN);
          expect(line).not.toContain('cookie-secret-value');
        }
        const outcome = JSON.parse(refused[0] ?? '{}').outcome;
        expect(outcome.statusCode).toBeGreaterThanOrEqual(400);
      });
    }
  }

  it('says how many headers it left out of the logged request', async () => {
    const lines = await logOf(
      { POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
      { query: 'appId=nope', headers: manyHeaders },
    );
    const logged = JSON.parse(lines.find((line) => line.includes('"message":"request"')) ?? '{}').request;
    const shown = Object.keys(logged.headers).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown + logged.headersOmitted).toBe(Object.keys(manyHeaders).length);
  });

  it('logs one marker per cookie, at most 16, and how many there were', async () => {
    const cookies = Array.from({ length: 2_000 }, (_, index) => `c${index}=${'v'.repeat(100)}`);
    const lines = await logOf(
      { POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
      { query: 'appId=nope', headers: { cookie: [COOKIE, ...cookies].join('; ') } },
    );
    const line = lines.find((entry) => entry.includes('"message":"request"')) ?? '{}';
    const logged = JSON.parse(line).request;
    expect(logged.cookies).toEqual(Array.from({ length: 16 }, () => REDACTED));
    expect(logged.cookieCount).toBe(2_001);
    expect(line).not.toContain('cookie-secret-value');
  });
});
