import { Agent } from 'node:https';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../observability/telemetry';
import { loadArchiveConfig } from './config';
import { type ArchiveObjectStore, consumeBatch } from './consume';
import { ARCHIVE_METRIC_NAMES, type ArchiveMetricName } from './metric-names';

/**
 * The archive consumer's Lambda entry (Kinesis event source mapping): configuration at cold start,
 * then one `consumeBatch` per invocation and one EMF document with its counts.
 */

const config = loadArchiveConfig();
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
const s3 = new S3Client({
  region: config.region,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3Endpoint !== undefined,
  maxAttempts: 3,
  requestHandler: new NodeHttpHandler({
    connectionTimeout: 2_000,
    requestTimeout: 30_000,
    throwOnRequestTimeout: true,
    httpsAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
  }),
});
const store: ArchiveObjectStore = {
  put: async ({ key, body, contentType }) => {
    await s3.send(
      new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  },
};

export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const { response, summary } = await consumeBatch(event, {
    store,
    layout: { archivePrefix: config.archivePrefix, tablesPrefix: config.tablesPrefix },
    concurrency: config.writeConcurrency,
    onWriteError: (key, error) =>
      logger.error('archive object not written; the batch is retried from a safe checkpoint', {
        key,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  });
  const counts: Record<ArchiveMetricName, number> = {
    ArchiveRecords: summary.records,
    ArchiveEvents: summary.events,
    ArchiveUnusableElements: summary.unusableElements,
    ArchiveEventsOverBudget: summary.eventsOverBudget,
    ArchiveUnreadableRecords: summary.unreadableRecords,
    ArchiveObjectsWritten: summary.objectsWritten,
    ArchiveBytesWritten: summary.bytesWritten,
    ArchiveWriteFailures: summary.writeFailures,
  };
  for (const name of ARCHIVE_METRIC_NAMES) {
    metrics.addMetric(
      name,
      name === 'ArchiveBytesWritten' ? MetricUnit.Bytes : MetricUnit.Count,
      counts[name],
    );
  }
  metrics.publishStoredMetrics();
  if (summary.unreadableRecords > 0) {
    logger.warn('records whose data could not be read; they are in the raw archive only', {
      unreadableRecords: summary.unreadableRecords,
    });
  }
  return response;
}
