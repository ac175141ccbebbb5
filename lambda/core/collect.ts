import type { CollectorConfig } from '../config';
import { resolveClientIp } from './client-ip';
import { decodeBody } from './decode-body';
import { deliver } from './delivery';
import {
  BadRequestError,
  CollectorError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from './errors';
import { type InvalidEvent, validateBatch } from './event-schema';
import type { RequestOutcome } from './outcome';
import type {
  Authenticator,
  CollectorLogger,
  CorsPolicy,
  HttpRequest,
  HttpResponse,
  ObjectStore,
  StreamSink,
} from './ports';
import { quarantine, type RequestSummary } from './quarantine';
import { planRecords, type RecordContext } from './record';
import { newRequestId as randomRequestId } from './request-id';
import { emptyResponse, errorResponse, jsonResponse } from './responses';
import { createSinkHealth } from './sink-health';

export interface CollectorDeps {
  readonly config: CollectorConfig;
  readonly stream: StreamSink;
  /** Holds the fallback and quarantine prefixes (the archive bucket). */
  readonly objects: ObjectStore;
  readonly cors: CorsPolicy;
  readonly authenticator: Authenticator;
  readonly logger: CollectorLogger;
  readonly now?: () => number;
  readonly newRequestId?: () => string;
}

export interface CollectResult {
  readonly response: HttpResponse;
  readonly outcome: RequestOutcome;
}

export type Collector = (request: HttpRequest) => Promise<CollectResult>;

export const QUARANTINED_HEADER = 'x-clickstream-quarantined';
const COLLECT_METHODS = ['POST', 'OPTIONS'];
const READ_METHODS = ['GET', 'HEAD'];
const HEALTH_CACHE_MS = 5_000;

/** Mutable tally of one request, turned into its `RequestOutcome` at the end. */
interface Tally {
  appId: string | null;
  eventsAccepted: number;
  eventsQuarantined: number;
  eventsToFallback: number;
  streamRetries: number;
  firstReason: string | null;
  errorCode: string | null;
}

/**
 * The collector core: one request in, one response and its outcome out. Routes → access checks →
 * decode → validate → enrich → deliver. No middy, no AWS: sinks and access policies are injected.
 */
export function createCollector(deps: CollectorDeps): Collector {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const newRequestId = deps.newRequestId ?? randomRequestId;
  const sinkHealth = createSinkHealth(deps.stream, deps.objects, HEALTH_CACHE_MS, now);

  return async function collect(request) {
    const rid = newRequestId();
    const receivedAt = now();
    const tally: Tally = {
      appId: request.query.appId ?? null,
      eventsAccepted: 0,
      eventsQuarantined: 0,
      eventsToFallback: 0,
      streamRetries: 0,
      firstReason: null,
      errorCode: null,
    };
    let corsHeaders: Readonly<Record<string, string>> = {};
    let response: HttpResponse;
    try {
      if (request.path === config.collectPath) {
        const cors = deps.cors.decide(request);
        if (cors.kind === 'denied')
          throw new ForbiddenError('origin_not_allowed', 'This origin may not send data');
        if (cors.kind === 'allowed') corsHeaders = cors.headers;
        response = await routeCollect(request, rid, receivedAt, tally);
      } else {
        response = await routeOther(request);
      }
    } catch (error) {
      if (!(error instanceof CollectorError))
        logger.error('Unexpected error while handling a request', error);
      response = errorResponse(error, rid);
      tally.errorCode = error instanceof CollectorError ? error.code : 'internal_error';
      tally.firstReason = error instanceof CollectorError ? error.message : 'internal error';
    }
    // The response's own headers win: a preflight's `vary` lists more than the plain CORS one.
    const headers = { ...corsHeaders, ...response.headers, 'x-request-id': rid };
    return {
      response: { ...response, headers },
      outcome: {
        statusCode: response.statusCode,
        requestId: rid,
        appId: tally.appId,
        eventsAccepted: tally.eventsAccepted,
        eventsQuarantined: tally.eventsQuarantined,
        eventsToFallback: tally.eventsToFallback,
        streamRetries: tally.streamRetries,
        bytesIn: request.body.length,
        errorCode: tally.errorCode,
        firstReason: tally.firstReason,
      },
    };
  };

  async function routeOther(request: HttpRequest): Promise<HttpResponse> {
    if (request.path !== '/health' && request.path !== '/ping') throw new NotFoundError();
    if (!READ_METHODS.includes(request.method)) throw new MethodNotAllowedError(READ_METHODS);
    if (request.path === '/ping') return jsonResponse(200, { timestamp: now() });
    // Plain /health stays free (load balancers call it often); ?deep=1 probes the sinks.
    if (request.query.deep === undefined || request.query.deep === '0')
      return jsonResponse(200, { status: 'ok' });
    const health = await sinkHealth();
    return jsonResponse(health.status === 'unavailable' ? 503 : 200, health);
  }

  async function routeCollect(
    request: HttpRequest,
    rid: string,
    receivedAt: number,
    tally: Tally,
  ): Promise<HttpResponse> {
    if (request.method === 'OPTIONS') {
      return emptyResponse(204, {
        ...deps.cors.preflightHeaders(request),
        allow: COLLECT_METHODS.join(', '),
      });
    }
    if (request.method !== 'POST') throw new MethodNotAllowedError(COLLECT_METHODS);

    const appId = request.query.appId;
    if (appId === undefined || appId === '')
      throw new ForbiddenError('app_id_missing', 'The appId query parameter is required');
    if (!config.appIds.has(appId)) throw new ForbiddenError('app_id_unknown', 'This appId is not registered');
    await deps.authenticator.authenticate(request, appId);

    const context = enrich(request, appId, rid, receivedAt);
    const summary: RequestSummary = { ...context, appId };
    let decoded: ReturnType<typeof decodeBody>;
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
    } catch (error) {
      if (error instanceof BadRequestError) await keepRejectedBody(summary, error, request.body);
      throw error;
    }

    const { valid, invalid } = validateBatch(decoded.events);
    const intact = invalid.length === 0;
    const plan = planRecords(
      context,
      intact ? { text: decoded.bodyText, compression: decoded.compression } : null,
      valid,
      config.maxRecordBytes,
    );
    const quarantined: InvalidEvent[] = [
      ...invalid,
      ...plan.oversized.map((event) => ({
        index: decoded.events.indexOf(event),
        event,
        reasons: [`larger than a stream record (${config.maxRecordBytes} bytes)`],
      })),
    ];

    const [report] = await Promise.all([
      deliver(plan.records, rid, deps.stream, deps.objects, {
        fallbackPrefix: config.fallbackPrefix,
        retryBudgetMs: config.kinesisRetryBudgetMs,
        retryAfterSeconds: config.retryAfterSeconds,
        now,
      }),
      quarantined.length > 0 ? keepInvalidEvents(summary, quarantined, request.body) : undefined,
    ]);
    tally.eventsAccepted = valid.length - plan.oversized.length;
    tally.eventsQuarantined = quarantined.length;
    tally.eventsToFallback = report.eventsToFallback;
    tally.streamRetries = report.streamRetries;
    tally.firstReason = quarantined[0]?.reasons[0] ?? null;
    return emptyResponse(200, { [QUARANTINED_HEADER]: String(quarantined.length) });
  }

  function enrich(request: HttpRequest, appId: string, rid: string, receivedAt: number): RecordContext {
    return {
      appId,
      rid,
      receivedAt,
      ip: resolveClientIp(request, config.ipPolicy, config.ipAnonymization),
      ua: request.headers['user-agent'] ?? null,
      method: request.method,
      path: request.path,
      uri: request.rawQueryString === '' ? request.path : `${request.path}?${request.rawQueryString}`,
      platform: request.query.platform || null,
      clientTimestamp: request.query.upload_timestamp || null,
    };
  }

  /** A body we cannot read is answered 400 whatever happens here; keeping a copy is best effort. */
  async function keepRejectedBody(
    summary: RequestSummary,
    error: CollectorError,
    body: Buffer,
  ): Promise<void> {
    try {
      await quarantine(deps.objects, config.quarantinePrefix, summary, {
        kind: 'rejected_body',
        code: error.code,
        reason: error.message,
        body,
      });
    } catch (storeError) {
      logger.warn('Could not quarantine a rejected body', { rid: summary.rid, error: String(storeError) });
    }
  }

  /** Invalid events are answered 200, so they must be stored: if the quarantine fails, so does the request. */
  async function keepInvalidEvents(
    summary: RequestSummary,
    events: InvalidEvent[],
    body: Buffer,
  ): Promise<void> {
    try {
      await quarantine(deps.objects, config.quarantinePrefix, summary, {
        kind: 'invalid_events',
        events,
        body,
      });
    } catch {
      throw new ServiceUnavailableError(
        'quarantine_unavailable',
        'The collector cannot store data right now; retry later',
        config.retryAfterSeconds,
      );
    }
  }
}
