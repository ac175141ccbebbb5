import {
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';

/**
 * Reads every shard of a stream with plain GetRecords polling, the way a simple consumer (the
 * local archiver, `npm run tail`) needs it: no leases, no checkpoints, one process. Shards created
 * later by resharding are picked up from their start once their parent closes.
 */

export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly arrivedAt: Date;
}

/** Where a shard without a position starts: its newest end, its oldest record, or a point in time. */
export type StartingPosition = 'LATEST' | 'TRIM_HORIZON' | { readonly atTimestamp: Date };

const GET_RECORDS_LIMIT = 10_000;
/**
 * kinesalite never answers an AT_TIMESTAMP request for a shard with no record that recent; such a
 * shard has nothing to show from that time anyway, so after this long it starts at its newest end.
 */
const AT_TIMESTAMP_WAIT_MS = 3_000;

interface ShardCursor {
  iterator: string | undefined;
  lastSequenceNumber: string | undefined;
  closed: boolean;
}

export interface ShardReaderOptions {
  /**
   * Ask for a fresh iterator on every `read` (after the last record read, or at the trim horizon
   * while none was) instead of following the previous answer's `NextShardIterator`. After an
   * empty read kinesalite hands out a next iterator at the current time, so a record being put
   * at that very moment is skipped for good; a reader that must not miss one pays one
   * GetShardIterator call per shard per read. A LATEST reader still follows iterators until its
   * first record, since a fresh LATEST iterator would skip what arrived in between.
   * @default false
   */
  readonly freshIterators?: boolean;
}

export interface ReadResult {
  readonly records: StreamRecord[];
  /** True when a shard reported more records waiting: read again without sleeping. */
  readonly behind: boolean;
  /**
   * True when every shard has been read up to its newest record: each one answered this round as
   * not behind (MillisBehindLatest 0) with less than a full page, and no new shard is left unread.
   */
  readonly caughtUp: boolean;
}

export class ShardReader {
  readonly #client: KinesisClient;
  readonly #streamName: string;
  readonly #startingPosition: StartingPosition;
  readonly #freshIterators: boolean;
  readonly #cursors = new Map<string, ShardCursor>();
  /** Where each shard starts when it has no position yet. */
  readonly #startTypes = new Map<string, StartingPosition>();
  #opened = false;

  constructor(
    client: KinesisClient,
    streamName: string,
    startingPosition: StartingPosition,
    options: ShardReaderOptions = {},
  ) {
    this.#client = client;
    this.#streamName = streamName;
    this.#startingPosition = startingPosition;
    this.#freshIterators = options.freshIterators ?? false;
  }

  /**
   * Lists the shards and takes their starting positions now, so with LATEST a record put after
   * `open` resolves is read; `read` opens by itself if this was not called.
   */
  async open(): Promise<void> {
    if (this.#opened) return;
    await this.#discoverShards(this.#startingPosition);
    for (const [shardId, cursor] of this.#cursors) cursor.iterator ??= await this.#iterator(shardId, cursor);
    this.#opened = true;
  }

  /** One GetRecords round over all open shards. */
  async read(): Promise<ReadResult> {
    await this.open();
    const records: StreamRecord[] = [];
    let behind = false;
    let caughtUp = true;
    let shardClosed = false;
    for (const [shardId, cursor] of this.#cursors) {
      if (cursor.closed) continue;
      const fresh =
        this.#freshIterators &&
        (cursor.lastSequenceNumber !== undefined || this.#initialType(shardId) === 'TRIM_HORIZON');
      if (fresh || cursor.iterator === undefined) cursor.iterator = await this.#iterator(shardId, cursor);
      let response: GetRecordsCommandOutput;
      try {
        response = await this.#getRecords(cursor.iterator);
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException)) throw error;
        cursor.iterator = await this.#iterator(shardId, cursor);
        response = await this.#getRecords(cursor.iterator);
      }
      for (const record of response.Records ?? []) {
        if (record.Data === undefined || record.SequenceNumber === undefined) continue;
        records.push({
          shardId,
          sequenceNumber: record.SequenceNumber,
          partitionKey: record.PartitionKey ?? '',
          data: record.Data,
          arrivedAt: record.ApproximateArrivalTimestamp ?? new Date(),
        });
        cursor.lastSequenceNumber = record.SequenceNumber;
      }
      const millisBehind = response.MillisBehindLatest ?? 0;
      const returned = response.Records?.length ?? 0;
      if (millisBehind > 0 && returned > 0) behind = true;
      // kinesalite always reports 0 behind; a full page says there may be more.
      if (millisBehind > 0 || returned >= GET_RECORDS_LIMIT) caughtUp = false;
      cursor.iterator = response.NextShardIterator;
      if (cursor.iterator === undefined) {
        cursor.closed = true;
        shardClosed = true;
      }
    }
    // Children of a closed shard hold its later records; they are read from their very start.
    if (shardClosed) {
      await this.#discoverShards('TRIM_HORIZON');
      caughtUp = false;
    }
    return { records, behind, caughtUp };
  }

  async #getRecords(iterator: string | undefined): Promise<GetRecordsCommandOutput> {
    return this.#client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }));
  }

  async #iterator(shardId: string, cursor: ShardCursor): Promise<string | undefined> {
    const resume = cursor.lastSequenceNumber;
    if (resume !== undefined) {
      return this.#shardIterator(shardId, {
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: resume,
      });
    }
    const start = this.#initialType(shardId);
    if (typeof start === 'string') return this.#shardIterator(shardId, { ShardIteratorType: start });
    try {
      return await this.#shardIterator(
        shardId,
        { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: start.atTimestamp },
        AbortSignal.timeout(AT_TIMESTAMP_WAIT_MS),
      );
    } catch (error) {
      if (!(error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')))
        throw error;
      return this.#shardIterator(shardId, { ShardIteratorType: 'LATEST' });
    }
  }

  async #shardIterator(
    shardId: string,
    position: {
      readonly ShardIteratorType: ShardIteratorType;
      readonly StartingSequenceNumber?: string;
      readonly Timestamp?: Date;
    },
    abortSignal?: AbortSignal,
  ): Promise<string | undefined> {
    const response = await this.#client.send(
      new GetShardIteratorCommand({ StreamName: this.#streamName, ShardId: shardId, ...position }),
      abortSignal === undefined ? {} : { abortSignal },
    );
    return response.ShardIterator;
  }

  #initialType(shardId: string): StartingPosition {
    return this.#startTypes.get(shardId) ?? this.#startingPosition;
  }

  async #discoverShards(startNewAt: StartingPosition): Promise<void> {
    let nextToken: string | undefined;
    do {
      const response = await this.#client.send(
        new ListShardsCommand(
          nextToken === undefined ? { StreamName: this.#streamName } : { NextToken: nextToken },
        ),
      );
      for (const shard of response.Shards ?? []) {
        if (shard.ShardId === undefined || this.#cursors.has(shard.ShardId)) continue;
        this.#startTypes.set(shard.ShardId, startNewAt);
        this.#cursors.set(shard.ShardId, {
          iterator: undefined,
          lastSequenceNumber: undefined,
          closed: false,
        });
      }
      nextToken = response.NextToken;
    } while (nextToken !== undefined);
  }
}
