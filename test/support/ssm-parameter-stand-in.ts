import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the two SSM Parameter Store calls `npm run apps` makes (`GetParameter`,
 * `PutParameter`), on loopback. No SSM emulator runs here (none on npm, none in Debian's
 * packages), so this speaks just enough of SSM's JSON 1.1 protocol for the real script and the real
 * SDK client to run against it through `AWS_ENDPOINT_URL_SSM`. It keeps parameters per Region (read
 * from each request's signature, as SSM does) and records every call.
 */

interface SsmCall {
  readonly action: string;
  readonly region: string;
  readonly name: string;
}

export interface SsmStandIn {
  readonly endpoint: string;
  readonly calls: readonly SsmCall[];
  /** The value of a parameter in a Region, if any. */
  value(region: string, name: string): string | undefined;
  stop(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/** Starts the stand-in with `parameters`, keyed `region name`. */
export async function startSsmStandIn(parameters: Readonly<Record<string, string>>): Promise<SsmStandIn> {
  const store = new Map(Object.entries(parameters));
  const calls: SsmCall[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
    // Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/ssm/aws4_request, …
    const region =
      /Credential=[^/]+\/\d+\/([^/]+)\/ssm\//.exec(String(request.headers.authorization))?.[1] ?? '';
    const name = String(body.Name ?? '');
    calls.push({ action, region, name });
    const answer = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(json));
    };
    const key = `${region} ${name}`;
    if (action === 'GetParameter') {
      const value = store.get(key);
      if (value === undefined) return answer(400, { __type: 'ParameterNotFound', message: '' });
      return answer(200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } });
    }
    if (action === 'PutParameter') {
      if (!store.has(key) || body.Overwrite !== true)
        return answer(400, { __type: 'ParameterAlreadyExists' });
      store.set(key, String(body.Value));
      return answer(200, { Version: 2, Tier: 'Standard' });
    }
    return answer(400, { __type: 'InvalidAction', message: `not in this stand-in: ${action}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    value: (region, name) => store.get(`${region} ${name}`),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
