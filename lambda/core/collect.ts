import type { CollectorConfig } from '../config';
import { type DecodedBody, decodeBody } from './body/decode-body';
import { type Batch, type BatchElement, readBatch } from './body/read-batch';
import { bodyBytes } from './body/request-body';
import { deliver } from './delivery';
import { BadRequestError, ForbiddenError, ServiceUnavailableError } from './errors';
import { MAX_EVENT_DEPTH } from './events/event-fields';
import { validateEvent } from './events/event-schema';
import type {
  AppRegistry,
  Authenticator,
  CollectorLogger,
  HttpRequest,
  ObjectStore,
  StreamSink,
} from './ports';
import {
  eventLines,
  type QuarantinedEvent,
  type RequestSummary,
  rejectedBodyLine,
  requestSummary,
  storeQuarantine,
} from './quarantine';
import type { RecordContext } from './records/record';
import { type KeptEvents, planRecords, type RecordPlan } from './records/record-plan';
import { requestContext } from './request-context';

/**
 * The collect pipeline: access checks → decode → read the events → validate → plan the records →
 * deliver the good events and quarantine the rest. Split in two steps so that the validation
 * route can judge a request exactly as collecting would, without storing anything.
 */

export interface PipelineDeps {
  readonly config: CollectorConfig;
  readonly stream: StreamSink;
  /** Holds the fallback and quarantine prefixes (the archive bucket). */
  readonly objects: ObjectStore;
  readonly authenticator: Authenticator;
  readonly apps: AppRegistry;
  readonly logger: CollectorLogger;
  readonly now: () => number;
}

/** A request whose events have been read and judged, nothing stored yet. */
export interface JudgedRequest {
  readonly context: RecordContext;
  readonly decoded: DecodedBody;
  /** Every event of the request, in order. */
  readonly elements: readonly BatchElement[];
  readonly received: number;
  readonly kept: KeptEvents;
  readonly invalid: readonly QuarantinedEvent[];
}

export interface CollectReport {
  readonly eventsAccepted: number;
  readonly eventsQuarantined: number;
  readonly eventsToFallback: number;
  readonly streamRetries: number;
  /** The first reason an event was quarantined, if any. */
  readonly firstReason: string | null;
}

export interface JudgeOptions {
  /** Keep a copy of a body that cannot be read (collecting does; validating stores nothing). */
  readonly keepRejectedBody: boolean;
}

/** Checks access, then reads and validates the events; throws the `CollectorError` to answer. */
export async function judgeRequest(
  request: HttpRequest,
  rid: string,
  receivedAt: number,
  deps: PipelineDeps,
  options: JudgeOptions = { keepRejectedBody: true },
): Promise<JudgedRequest> {
  const { config } = deps;
  const appId = request.query.appId;
  if (appId === undefined || appId === '')
    throw new ForbiddenError('app_id_missing', 'The appId query parameter is required');
  if (!(await deps.apps.isRegistered(appId)))
    throw new ForbiddenError('app_id_unknown', 'This appId is not registered');
  await deps.authenticator.authenticate(request, appId);

  const context = requestContext(request, appId, rid, receivedAt, config);
  let decoded: DecodedBody;
  let batch: Batch;
  try {
    decoded = decodeBody(
      {
        body: request.body,
        compression: request.query.compression,
        hashCode: request.query.hashCode,
        contentEncoding: request.headers['content-encoding'],
      },
      config,
    );
    batch = readBatch(decoded.json, {
      maxEvents: config.maxEventsPerRequest,
      maxEventDepth: MAX_EVENT_DEPTH,
    });
  } catch (error) {
    if (error instanceof BadRequestError && options.keepRejectedBody) {
      const compression = request.query.compression === 'gzip' ? 'gzip' : null;
      await keepRejectedBody(deps, requestSummary(context, compression), error, bodyBytes(request.body));
    }
    throw error;
  }

  const { elements } = batch;
  const keptIndexes: number[] = [];
  const invalid: QuarantinedEvent[] = [];
  for (const element of elements) {
    const reasons = element.tooDeep
      ? [`nested deeper than ${MAX_EVENT_DEPTH} levels`]
      : validateEvent(element.value, config.validationMode);
    if (reasons.length === 0) keptIndexes.push(element.index);
    else
      invalid.push({
        kind: 'invalid_event',
        index: element.index,
        text: batch.textOf(element.index),
        value: element.value,
        reasons,
      });
  }
  const kept: KeptEvents = {
    count: keptIndexes.length,
    list: () => keptIndexes.map((index) => ({ index, text: batch.textOf(index) })),
  };
  return { context, decoded, elements, received: elements.length, kept, invalid };
}

export interface StoragePlan {
  readonly records: RecordPlan['records'];
  /** Every event kept out of the stream, invalid or too large, in request order. */
  readonly quarantined: readonly QuarantinedEvent[];
  readonly oversizedCount: number;
}

/** The records and the quarantine a judged request would be stored as. */
export function planStorage(judged: JudgedRequest, maxRecordBytes: number): StoragePlan {
  const plan = planRecords(
    judged.context,
    { text: judged.decoded.bodyText, compression: judged.decoded.compression },
    judged.kept,
    judged.invalid.length === 0,
    maxRecordBytes,
  );
  const oversized: QuarantinedEvent[] = plan.oversized.map((event) => ({
    kind: 'oversized_event',
    index: event.index,
    text: event.text,
    value: undefined,
    reasons: [`larger than a stream record (${maxRecordBytes} bytes)`],
  }));
  const quarantined =
    oversized.length === 0
      ? judged.invalid
      : [...judged.invalid, ...oversized].sort((a, b) => a.index - b.index);
  return { records: plan.records, quarantined, oversizedCount: oversized.length };
}

/** Makes the kept events durable (stream, else fallback) and the invalid ones quarantined. */
export async function storeRequest(judged: JudgedRequest, deps: PipelineDeps): Promise<CollectReport> {
  const { config } = deps;
  const { records, quarantined, oversizedCount } = planStorage(judged, config.maxRecordBytes);

  const delivering = deliver(records, judged.context.rid, deps.stream, deps.objects, {
    fallbackPrefix: config.fallbackPrefix,
    retryBudgetMs: config.kinesisRetryBudgetMs,
    retryAfterSeconds: config.retryAfterSeconds,
    now: deps.now,
  });
  // Both at once when there is a quarantine to write; Promise.all also keeps either failure handled.
  const [delivery] =
    quarantined.length === 0
      ? [await delivering]
      : await Promise.all([
          delivering,
          keepInvalidEvents(deps, requestSummary(judged.context, judged.decoded.compression), quarantined),
        ]);
  return {
    eventsAccepted: judged.kept.count - oversizedCount,
    eventsQuarantined: quarantined.length,
    eventsToFallback: delivery.eventsToFallback,
    streamRetries: delivery.streamRetries,
    firstReason: quarantined[0]?.reasons[0] ?? null,
  };
}

/** A body we cannot read is answered 400 whatever happens here; keeping a copy is best effort. */
async function keepRejectedBody(
  deps: PipelineDeps,
  summary: RequestSummary,
  error: BadRequestError,
  body: Buffer,
): Promise<void> {
  try {
    const line = rejectedBodyLine(summary, { code: error.code, reason: error.message, body });
    await storeQuarantine(deps.objects, deps.config.quarantinePrefix, summary, [line]);
  } catch (storeError) {
    deps.logger.warn('Could not quarantine a rejected body', { rid: summary.rid, error: String(storeError) });
  }
}

/** Invalid events are answered 200, so they must be stored: if the quarantine fails, so does the request. */
async function keepInvalidEvents(
  deps: PipelineDeps,
  summary: RequestSummary,
  events: readonly QuarantinedEvent[],
): Promise<void> {
  try {
    await storeQuarantine(deps.objects, deps.config.quarantinePrefix, summary, eventLines(summary, events));
  } catch {
    throw new ServiceUnavailableError(
      'quarantine_unavailable',
      'The collector cannot store data right now; retry later',
      deps.config.retryAfterSeconds,
    );
  }
}
