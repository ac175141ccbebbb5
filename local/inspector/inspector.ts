import { gunzipSync } from 'node:zlib';
import { hourPartition } from '../../lambda/core/partition-path';
import type { AnsweredRequest } from '../http-adapter';
import type { ShardReader } from '../shard-reader';
import { BoundedFeed, type FeedLimits } from './feed';
import {
  type AcceptedEvent,
  type ItemFilter,
  matches,
  type QuarantineItem,
  quarantineLines,
  type ReadBatch,
  recordEvents,
} from './items';

/**
 * The inspector's view of what this collector stored since it started (or since the last reset):
 * the accepted events, read from the stream and the S3 fallback, and the quarantine, read from S3.
 * Everything is read on demand — `sync()` before each answer — so an event acknowledged with a 200
 * is in the very next answer. The stream is read in full; S3 objects are fetched by key, for the
 * requests whose answers said they wrote one (quarantined events, a rejected body, a fallback), so
 * the inspector never lists the bucket.
 */

export interface InspectorOptions {
  /** Reads the stream; with fresh iterators, so no record put during a read is skipped. */
  readonly stream: Pick<ShardReader, 'read'>;
  /** The object's bytes, or null when there is no such key. */
  readonly getObject: (key: string) => Promise<Buffer | null>;
  readonly collectPath: string;
  readonly quarantinePrefix: string;
  readonly fallbackPrefix: string;
  /** @default INSPECTOR_LIMITS */
  readonly limits?: FeedLimits;
  readonly now?: () => number;
}

/** Per kind (accepted events, quarantine items): the newest 1,000, and at most 16 MiB of their JSON. */
const INSPECTOR_LIMITS: FeedLimits = { maxItems: 1_000, maxBytes: 16 * 1024 * 1024 };
/** Bounds one sync on a stream with a huge backlog (each round reads up to 10,000 records a shard). */
const MAX_STREAM_ROUNDS = 100;

interface RequestCounts {
  /** Answers to the collect path, preflights aside. */
  readonly total: number;
  /** 2xx: the events are stored (or quarantined). */
  readonly accepted: number;
  /** 4xx: nothing stored, except a rejected body's copy in the quarantine. */
  readonly rejected: number;
  /** 5xx: the client keeps its data and retries. */
  readonly failed: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Error codes of the non-2xx answers (`app_id_unknown`, `invalid_json`, …). */
  readonly byError: Readonly<Record<string, number>>;
}

export interface InspectorSummary {
  /** Start of the view: when the collector started, or the last reset. */
  readonly since: string;
  /** Events accepted (in the stream, or in the fallback). */
  readonly accepted: number;
  /** Events quarantined (invalid, or too large for a record) while their request got a 200. */
  readonly quarantined: number;
  /** Bodies that could not be read as events (answered 400), kept whole in the quarantine. */
  readonly rejectedBodies: number;
  /** Stream records that are not the collector's (another writer's), skipped. */
  readonly unreadableRecords: number;
  readonly requests: RequestCounts;
  /** Items held for the API now, and the most of each kind it holds. */
  readonly held: { readonly events: number; readonly quarantine: number; readonly maxItems: number };
}

interface PendingObject {
  readonly kind: 'quarantine' | 'fallback';
  /** The object's possible keys (its hour partition is that of a time within the request). */
  readonly keys: readonly string[];
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class Inspector {
  readonly #options: InspectorOptions;
  readonly #limits: FeedLimits;
  readonly #now: () => number;
  readonly #events: BoundedFeed<AcceptedEvent>;
  readonly #quarantine: BoundedFeed<QuarantineItem>;
  #pending: PendingObject[] = [];
  #since: number;
  #counts = { accepted: 0, quarantined: 0, rejectedBodies: 0, unreadableRecords: 0 };
  #requests = { total: 0, accepted: 0, rejected: 0, failed: 0 };
  #byStatus: Record<string, number> = {};
  #byError: Record<string, number> = {};
  #queued: Promise<void> | undefined;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: InspectorOptions) {
    this.#options = options;
    this.#limits = options.limits ?? INSPECTOR_LIMITS;
    this.#now = options.now ?? Date.now;
    this.#events = new BoundedFeed(this.#limits);
    this.#quarantine = new BoundedFeed(this.#limits);
    this.#since = this.#now();
  }

  get maxItems(): number {
    return this.#limits.maxItems;
  }

  /** Counts an answer to the collect path and notes the S3 objects it says were written. */
  observe(answer: AnsweredRequest): void {
    const { outcome } = answer;
    const collectPath =
      outcome === undefined ? answer.path === this.#options.collectPath : outcome.route === 'collect';
    if (!collectPath || answer.method === 'OPTIONS') return;
    const status = answer.statusCode;
    this.#requests.total += 1;
    if (status < 300) this.#requests.accepted += 1;
    else if (status < 500) this.#requests.rejected += 1;
    else this.#requests.failed += 1;
    increment(this.#byStatus, String(status));
    const errorCode =
      outcome?.errorCode ?? (status === 413 ? 'payload_too_large' : status >= 500 ? 'internal_error' : null);
    if (status >= 300 && errorCode !== null) increment(this.#byError, errorCode);
    if (outcome === undefined) return;
    const hours = [...new Set([hourPartition(answer.arrivedAt), hourPartition(answer.answeredAt)])];
    const keys = (prefix: string) => hours.map((hour) => `${prefix}${hour}${outcome.requestId}.ndjson.gz`);
    // A 5xx may follow a quarantine write (the events were judged, then delivery failed).
    if (outcome.eventsQuarantined > 0 || status === 400 || status >= 500)
      this.#note({ kind: 'quarantine', keys: keys(this.#options.quarantinePrefix) });
    if (outcome.eventsToFallback > 0)
      this.#note({ kind: 'fallback', keys: keys(this.#options.fallbackPrefix) });
  }

  /**
   * Reads what was stored since the last sync. Calls while one runs share the next one, which
   * starts after it: whoever calls gets a sync that began after the call.
   */
  sync(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const run = this.#tail.then(() => {
      this.#queued = undefined;
      return this.#syncOnce();
    });
    this.#queued = run;
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no sync runs any more (for stopping). */
  async idle(): Promise<void> {
    await this.#tail;
  }

  events(filter: ItemFilter, limit: number): AcceptedEvent[] {
    return this.#events.newest(matches(filter), limit);
  }

  quarantine(filter: ItemFilter, limit: number): QuarantineItem[] {
    return this.#quarantine.newest(matches(filter), limit);
  }

  summary(): InspectorSummary {
    return {
      since: new Date(this.#since).toISOString(),
      ...this.#counts,
      requests: { ...this.#requests, byStatus: { ...this.#byStatus }, byError: { ...this.#byError } },
      held: {
        events: this.#events.count,
        quarantine: this.#quarantine.count,
        maxItems: this.#limits.maxItems,
      },
    };
  }

  /** Forgets everything seen so far: the view starts now. The stream and the bucket are untouched. */
  reset(): string {
    this.#since = this.#now();
    this.#events.clear();
    this.#quarantine.clear();
    this.#pending = [];
    this.#counts = { accepted: 0, quarantined: 0, rejectedBodies: 0, unreadableRecords: 0 };
    this.#requests = { total: 0, accepted: 0, rejected: 0, failed: 0 };
    this.#byStatus = {};
    this.#byError = {};
    return new Date(this.#since).toISOString();
  }

  #note(pending: PendingObject): void {
    this.#pending.push(pending);
    // Each object holds at least one item: older ones than the newest maxItems could not be shown.
    if (this.#pending.length > this.#limits.maxItems) this.#pending.shift();
  }

  async #syncOnce(): Promise<void> {
    for (let round = 0; round < MAX_STREAM_ROUNDS; round += 1) {
      const { records, behind } = await this.#options.stream.read();
      for (const record of records) this.#addRecord(record.data, 'stream', record.arrivedAt.getTime());
      if (!behind) break;
    }
    for (let pending = this.#pending[0]; pending !== undefined; pending = this.#pending[0]) {
      const body = await this.#firstObject(pending.keys);
      // Taken off only once read, so a failed read is tried again by the next sync (unless a reset
      // dropped it meanwhile).
      if (this.#pending[0] === pending) this.#pending.shift();
      if (body === null) continue;
      const text = gunzipSync(body).toString('utf8');
      if (pending.kind === 'quarantine') this.#addQuarantine(quarantineLines(text, this.#now()));
      else
        for (const line of text.split('\n'))
          if (line !== '') this.#addRecord(Buffer.from(line), 'fallback', this.#now());
    }
  }

  async #firstObject(keys: readonly string[]): Promise<Buffer | null> {
    for (const key of keys) {
      const body = await this.#options.getObject(key);
      if (body !== null) return body;
    }
    return null;
  }

  #addRecord(bytes: Uint8Array, source: 'stream' | 'fallback', arrivedAt: number): void {
    const batch = recordEvents(bytes, source, arrivedAt);
    if (batch === null) {
      this.#counts.unreadableRecords += 1;
      return;
    }
    if (!this.#current(batch)) return;
    this.#counts.accepted += batch.items.length;
    this.#events.add(batch.receivedAt, batch.items);
  }

  #addQuarantine(batch: ReadBatch<QuarantineItem>): void {
    if (!this.#current(batch)) return;
    for (const { value } of batch.items) {
      if (value.kind === 'rejected_body') this.#counts.rejectedBodies += 1;
      else this.#counts.quarantined += 1;
    }
    this.#quarantine.add(batch.receivedAt, batch.items);
  }

  /** Whether a request belongs to the view (it arrived after the start or the last reset). */
  #current(batch: ReadBatch<unknown>): boolean {
    return batch.receivedAt >= this.#since;
  }
}
