import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, StoredObject } from '../core/ports';

/** What the adapter needs of the S3 SDK, loaded on first use. */
export interface S3Sdk {
  readonly client: S3Client;
  readonly PutObjectCommand: typeof import('@aws-sdk/client-s3').PutObjectCommand;
}

/**
 * The fallback and quarantine bucket. Most requests never touch it (it takes only what Kinesis
 * refused and what was quarantined), so its SDK is loaded and its client created on first use:
 * a cold start does not pay for them.
 */
export class S3ObjectStore implements ObjectStore {
  private sdk: Promise<S3Sdk> | undefined;

  constructor(
    private readonly loadSdk: () => Promise<S3Sdk>,
    private readonly bucket: string,
    /** Where the health probe writes: inside a prefix the function may write anyway (least privilege). */
    private readonly healthKey: string,
  ) {}

  private async send(object: StoredObject, signal?: AbortSignal): Promise<void> {
    this.sdk ??= this.loadSdk().catch((error: unknown) => {
      this.sdk = undefined;
      throw error;
    });
    const { client, PutObjectCommand } = await this.sdk;
    await client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        ContentEncoding: object.contentEncoding,
      }),
      signal === undefined ? undefined : { abortSignal: signal },
    );
  }

  async put(object: StoredObject): Promise<void> {
    await this.send(object);
  }

  async check(): Promise<boolean> {
    try {
      await this.send(
        { key: this.healthKey, body: 'ok', contentType: 'text/plain' },
        AbortSignal.timeout(2_000),
      );
      return true;
    } catch {
      return false;
    }
  }
}
