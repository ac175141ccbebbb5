/** Which route answered: collecting, validating (stores nothing), or anything else. */
export type OutcomeRoute = 'collect' | 'validate' | 'other';

/** What happened to one request: the status answered and what became of its events. */
export interface RequestOutcome {
  readonly route: OutcomeRoute;
  readonly statusCode: number;
  readonly requestId: string;
  /** The query's appId, when there was one (cut to 128 characters: it is client text). */
  readonly appId: string | null;
  /** Events now durably in the stream or the S3 fallback. */
  readonly eventsAccepted: number;
  /** Events that failed the schema and went to the quarantine (still answered 200). */
  readonly eventsQuarantined: number;
  /** Events written to the S3 fallback because the stream would not take them. */
  readonly eventsToFallback: number;
  /** Records sent to the stream again after a partial or whole failure. */
  readonly streamRetries: number;
  /** Raw body size as received. */
  readonly bytesIn: number;
  /** The error code of a non-2xx answer, or null. */
  readonly errorCode: string | null;
  /** A human-readable reason: the error message, or the first quarantine reason. */
  readonly firstReason: string | null;
}
