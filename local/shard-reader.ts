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

export type StartingPosition = 'LATEST' | 'TRIM_HORIZON';

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
      if ((response.MillisBehindLatest ?? 0) > 0 && (response.Records?.length ?? 0) > 0) behind = true;
      cursor.iterator = response.NextShardIterator;
      if (cursor.iterator === undefined) {
        cursor.closed = true;
        shardClosed = true;
      }
    }
    // Children of a closed shard hold its later records; they are read from their very start.
    if (shardClosed) await this.#discoverShards('TRIM_HORIZON');
    return { records, behind };
  }

  /** Forgets all positions; the next `read` starts over (after the stream was recreated, say). */
  reset(): void {
    this.#cursors.clear();
    this.#startTypes.clear();
    this.#opened = false;
  }

  async #getRecords(iterator: string | undefined): Promise<GetRecordsCommandOutput> {
    return this.#client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
  }

  async #iterator(shardId: string, cursor: ShardCursor): Promise<string | undefined> {
    const resume = cursor.lastSequenceNumber;
    const type: ShardIteratorType =
      resume === undefined ? this.#initialType(shardId) : 'AFTER_SEQUENCE_NUMBER';
    const response = await this.#client.send(
      new GetShardIteratorCommand({
        StreamName: this.#streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(resume === undefined ? {} : { StartingSequenceNumber: resume }),
      }),
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
