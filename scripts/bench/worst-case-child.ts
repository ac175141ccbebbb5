import { readFileSync } from 'node:fs';
import { buildHandler } from '../../lambda/app';
import { parseConfig } from '../../lambda/config';
import { MemoryObjectStore, MemoryStream } from '../../lambda/sinks/memory-sinks';
import { TEST_ENV } from '../../test/support/events';
import { lambdaContext, lambdaEvent } from '../../test/support/lambda-events';

// One worst-case request in a fresh process (worst-cases.ts bundles and runs it):
// `node child.mjs <body file> <query>`; prints what it cost as one JSON line.
const [bodyFile = '', query = ''] = process.argv.slice(2);
const stream = new MemoryStream();
const objects = new MemoryObjectStore();
const handler = buildHandler(parseConfig({ ...TEST_ENV, AWS_REGION: 'us-east-1' }), { stream, objects });
const body = readFileSync(bodyFile, 'utf8');
const event = lambdaEvent('function-url', { path: '/collect', query: `appId=test_app&${query}`, body });
const rssBefore = process.memoryUsage().rss;
const cpu = process.cpuUsage();
const started = performance.now();
const result = (await handler(event, lambdaContext)) as { statusCode: number };
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const size = (items: ReadonlyArray<{ length: number }>) => items.reduce((sum, item) => sum + item.length, 0);
const peakRss = process.resourceUsage().maxRSS * 1024;
const streamBytes = size(stream.records.map((record) => record.data));
const quarantineBytes = size([...objects.objects.values()].map((object) => Buffer.from(object.body)));
const cpuMs = (used.user + used.system) / 1000;
console.log(
  JSON.stringify({ status: result.statusCode, ms, cpuMs, rssBefore, peakRss, streamBytes, quarantineBytes }),
);
