import { readFileSync } from 'node:fs';
import { buildHandler } from '../../lambda/app';
import { parseConfig } from '../../lambda/config';
import { MemoryObjectStore, MemoryStream } from '../../lambda/sinks/memory-sinks';
import { TEST_ENV } from '../../test/support/events';
import { lambdaContext, lambdaEvent } from '../../test/support/lambda-events';

// One worst-case request in a fresh process (worst-cases.ts bundles and runs it):
// `node child.mjs <body file> <query>`; prints what it cost as one JSON line.
const [bodyFile = '', query = ''] = process.argv.slice(2);
const [stream, objects] = [new MemoryStream(), new MemoryObjectStore()];
const handler = buildHandler(parseConfig({ ...TEST_ENV, AWS_REGION: 'us-east-1' }), { stream, objects });
const body = readFileSync(bodyFile, 'utf8');
const event = lambdaEvent('function-url', { path: '/collect', query: `appId=test_app&${query}`, body });
const rssBefore = process.memoryUsage().rss;
const cpu = process.cpuUsage();
const started = performance.now();
const result = (await handler(event, lambdaContext)) as { statusCode: number };
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const peakRss = process.resourceUsage().maxRSS * 1024;
const streamBytes = stream.records.reduce((sum, record) => sum + record.data.length, 0);
const cpuMs = (used.user + used.system) / 1000;
console.log(JSON.stringify({ status: result.statusCode, ms, cpuMs, rssBefore, peakRss, streamBytes }));
