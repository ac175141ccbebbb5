import type { CollectorConfig } from '../config';
import { staticAppRegistry } from './app-registry';
import { bodyLength } from './body/request-body';
import { type CollectReport, judgeRequest, type PipelineDeps, planStorage, storeRequest } from './collect';
import { CollectorError, ForbiddenError, MethodNotAllowedError, NotFoundError } from './errors';
import type { OutcomeRoute, RequestOutcome } from './outcome';
import type {
  AppRegistry,
  Authenticator,
  CollectorLogger,
  CorsPolicy,
  HttpRequest,
  HttpResponse,
  ObjectStore,
  StreamSink,
} from './ports';
import { bounded } from './request-context';
import { newRequestId as randomRequestId } from './request-id';
import { emptyResponse, errorResponse, jsonResponse, pingResponse } from './responses';
import { createSinkHealth } from './sink-health';
import { validationReport } from './validation-report';

export interface CollectorDeps {
  readonly config: CollectorConfig;
  readonly stream: StreamSink;
  /** Holds the fallback and quarantine prefixes (the archive bucket). */
  readonly objects: ObjectStore;
  readonly cors: CorsPolicy;
  readonly authenticator: Authenticator;
  /** @default the configuration's app IDs */
  readonly apps?: AppRegistry;
  readonly logger: CollectorLogger;
  readonly now?: () => number;
  readonly newRequestId?: () => string;
}

interface CollectResult {
  readonly response: HttpResponse;
  readonly outcome: RequestOutcome;
}

export type Collector = (request: HttpRequest) => Promise<CollectResult>;

const QUARANTINED_HEADER = 'x-clickstream-quarantined';
/** Appended to the collect path: the same checks, a report instead of storage. */
const VALIDATE_SUFFIX = '/validate';
const MAX_OUTCOME_APP_ID_LENGTH = 128;
const COLLECT_METHODS = ['POST', 'OPTIONS'];
const READ_METHODS = ['GET', 'HEAD'];
const HEALTH_CACHE_MS = 5_000;

const NOTHING_COLLECTED: CollectReport = {
  eventsAccepted: 0,
  eventsQuarantined: 0,
  eventsToFallback: 0,
  streamRetries: 0,
  firstReason: null,
};

/**
 * The collector core: one request in, one response and its outcome out. It routes the request
 * (collect, validate, health, ping), applies CORS, and maps every error to its answer. No AWS:
 * sinks and access policies are injected through the ports.
 */
export function createCollector(deps: CollectorDeps): Collector {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const newRequestId = deps.newRequestId ?? randomRequestId;
  const sinkHealth = createSinkHealth(deps.stream, deps.objects, HEALTH_CACHE_MS, now);
  const pipeline: PipelineDeps = { ...deps, now, apps: deps.apps ?? staticAppRegistry(config.appIds) };
  const validatePath = `${config.collectPath}${VALIDATE_SUFFIX}`;

  /** The collect and validate routes: CORS first, then the method, then the pipeline. */
  async function routeEvents(
    request: HttpRequest,
    route: 'collect' | 'validate',
    rid: string,
    receivedAt: number,
    setReport: (report: CollectReport) => void,
  ): Promise<HttpResponse> {
    if (request.method === 'OPTIONS') {
      return emptyResponse(204, {
        ...deps.cors.preflightHeaders(request),
        allow: COLLECT_METHODS.join(', '),
      });
    }
    if (request.method !== 'POST') throw new MethodNotAllowedError(COLLECT_METHODS);
    if (route === 'collect') {
      const report = await storeRequest(await judgeRequest(request, rid, receivedAt, pipeline), pipeline);
      setReport(report);
      return emptyResponse(200, { [QUARANTINED_HEADER]: String(report.eventsQuarantined) });
    }
    const judged = await judgeRequest(request, rid, receivedAt, pipeline, { keepRejectedBody: false });
    return jsonResponse(200, validationReport(judged, planStorage(judged, config.maxRecordBytes)));
  }

  return async function collect(request) {
    const rid = newRequestId();
    const receivedAt = now();
    let report = NOTHING_COLLECTED;
    let errorCode: string | null = null;
    let corsHeaders: Readonly<Record<string, string>> = {};
    let response: HttpResponse;
    const route: OutcomeRoute =
      request.path === config.collectPath ? 'collect' : request.path === validatePath ? 'validate' : 'other';
    try {
      if (route !== 'other') {
        const cors = deps.cors.decide(request);
        if (cors.kind === 'denied')
          throw new ForbiddenError('origin_not_allowed', 'This origin may not send data');
        if (cors.kind === 'allowed') corsHeaders = cors.headers;
        response = await routeEvents(request, route, rid, receivedAt, (collected) => {
          report = collected;
        });
      } else {
        response = await routeOther(request);
      }
    } catch (error) {
      if (!(error instanceof CollectorError))
        logger.error('Unexpected error while handling a request', error);
      response = errorResponse(error, rid);
      errorCode = error instanceof CollectorError ? error.code : 'internal_error';
      report = {
        ...NOTHING_COLLECTED,
        firstReason: error instanceof CollectorError ? error.message : 'internal error',
      };
    }
    // The response's own headers win: a preflight's `vary` lists more than the plain CORS one.
    const headers = { ...corsHeaders, ...response.headers, 'x-request-id': rid };
    return {
      response: { ...response, headers },
      outcome: {
        route,
        statusCode: response.statusCode,
        requestId: rid,
        appId:
          request.query.appId === undefined ? null : bounded(request.query.appId, MAX_OUTCOME_APP_ID_LENGTH),
        eventsAccepted: report.eventsAccepted,
        eventsQuarantined: report.eventsQuarantined,
        eventsToFallback: report.eventsToFallback,
        streamRetries: report.streamRetries,
        bytesIn: bodyLength(request.body),
        errorCode,
        firstReason: report.firstReason,
      },
    };
  };

  async function routeOther(request: HttpRequest): Promise<HttpResponse> {
    if (request.path !== '/health' && request.path !== '/ping') throw new NotFoundError();
    if (!READ_METHODS.includes(request.method)) throw new MethodNotAllowedError(READ_METHODS);
    if (request.path === '/ping') return pingResponse(now());
    // Plain /health stays free (load balancers call it often); ?deep=1 probes the sinks.
    if (request.query.deep === undefined || request.query.deep === '0')
      return jsonResponse(200, { status: 'ok' });
    const health = await sinkHealth();
    return jsonResponse(health.status === 'unavailable' ? 503 : 200, health);
  }
}
