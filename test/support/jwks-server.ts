import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

/**
 * A JWKS endpoint on loopback for tests: serves whatever key set the test sets, can be told to
 * hang or fail, and counts requests so tests can prove what was (not) fetched.
 *
 *   const jwks = await startJwksServer({ keys: [publicJwk] });
 *   ... createAuthenticator({ ...auth, jwksUrl: jwks.url }) ...
 *   await jwks.stop();
 */

type JwksServerBehaviour = 'serve' | 'hang' | 'fail';

export interface JwksServer {
  /** `http://127.0.0.1:<port>/.well-known/jwks.json` */
  readonly url: string;
  /** GET requests received so far (any path). */
  readonly requestCount: number;
  /** Replaces the key set served from now on. */
  setKeys(jwks: JSONWebKeySet): void;
  /** 'serve' answers 200 with the key set; 'hang' never answers; 'fail' answers 500. */
  setBehaviour(behaviour: JwksServerBehaviour): void;
  /** Closes the listener and every open connection (hanging ones included); idempotent. */
  stop(): Promise<void>;
}

const JWKS_PATH = '/.well-known/jwks.json';

export async function startJwksServer(initial: JSONWebKeySet = { keys: [] }): Promise<JwksServer> {
  let jwks = initial;
  let behaviour: JwksServerBehaviour = 'serve';
  let requestCount = 0;
  let stopped = false;

  const server: Server = createServer((request, response) => {
    requestCount += 1;
    if (behaviour === 'hang') return;
    if (behaviour === 'fail' || request.url !== JWKS_PATH) {
      response.writeHead(behaviour === 'fail' ? 500 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(jwks));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${JWKS_PATH}`,
    get requestCount() {
      return requestCount;
    },
    setKeys(next) {
      jwks = next;
    },
    setBehaviour(next) {
      behaviour = next;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive and hanging sockets would otherwise hold the server open.
      server.closeAllConnections();
      await closed;
    },
  };
}
