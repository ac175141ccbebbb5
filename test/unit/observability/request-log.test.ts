import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REDACTED } from '../../../lambda/observability/request-log';
import { createTelemetry } from '../../../lambda/observability/telemetry';
import { sampleEvent } from '../../support/events';
import { memoryCollector } from '../../support/memory-collector';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXNlY3JldA';
const COOKIE = 'session=cookie-secret-value';

/**
 * Everything the handler writes to stdout and stderr (Powertools logs warnings there) while it
 * answers one credentialed request.
 */
async function logOfCredentialedRequest(env: Record<string, string>): Promise<string> {
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
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
    await collector.send({
      query: 'appId=test_app',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: COOKIE, 'user-agent': 'UA/1' },
      body: JSON.stringify([sampleEvent(), { event_type: 'bad' }]),
    });
  } finally {
    for (const write of writes) write.mockRestore();
  }
  return written.join('');
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
