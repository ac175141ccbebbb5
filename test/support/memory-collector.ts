import { buildHandler, type HandlerOptions } from '../../lambda/app';
import type { RequestOutcome } from '../../lambda/core/outcome';
import { MemoryObjectStore, MemoryStream } from '../../lambda/sinks/memory-sinks';
import { testConfig } from './events';
import {
  type EventShape,
  lambdaContext,
  lambdaEvent,
  normalizeResult,
  type RequestSpec,
} from './lambda-events';
import { quarantineLines } from './quarantine';

/** The real Lambda handler wired to in-memory sinks, plus a way to send it any event shape. */
export function memoryCollector(env: Record<string, string> = {}, options: HandlerOptions = {}) {
  const stream = new MemoryStream();
  const objects = new MemoryObjectStore();
  const outcomes: RequestOutcome[] = [];
  const handler = buildHandler(testConfig(env), {
    stream,
    objects,
    onOutcome: (outcome) => outcomes.push(outcome),
    ...options,
  });
  const send = async (spec: RequestSpec, shape: EventShape = 'function-url') =>
    normalizeResult(await handler(lambdaEvent(shape, spec), lambdaContext));
  /** Every quarantine line stored so far, object by object in key order. */
  const quarantined = () =>
    objects
      .keys('quarantine/')
      .sort()
      .flatMap((key) => quarantineLines(objects.objects.get(key)?.body ?? ''));
  return { handler, stream, objects, outcomes, send, quarantined };
}
