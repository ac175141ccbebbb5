import { createServer } from 'node:net';

/**
 * A loopback port the OS handed out and released a moment ago, for a program that needs a number
 * and cannot be told to take port 0 (WebKitWebDriver, or a user's `PORT`).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
