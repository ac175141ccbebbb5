import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, StoredObject } from '../core/ports';

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Where the health probe writes: inside a prefix the function may write anyway (least privilege). */
    private readonly healthKey: string,
  ) {}

  async put(object: StoredObject): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        ContentEncoding: object.contentEncoding,
      }),
    );
  }

  async check(): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.healthKey,
          Body: 'ok',
          ContentType: 'text/plain',
        }),
        { abortSignal: AbortSignal.timeout(2_000) },
      );
      return true;
    } catch {
      return false;
    }
  }
}
