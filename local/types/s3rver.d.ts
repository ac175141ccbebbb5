// s3rver ships no type declarations; this covers the part of its API the local tools use.
declare module 's3rver' {
  import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

  interface S3rverBucketConfig {
    name: string;
    configs?: Array<string | Buffer>;
  }

  interface S3rverOptions {
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: S3rverBucketConfig[];
    serviceEndpoint?: string;
  }

  /** A Koa application; `callback()` is its request listener. */
  class S3rver {
    constructor(options?: S3rverOptions);
    /** Creates the buckets listed in `configureBuckets` in the store folder. */
    configureBuckets(): Promise<void>;
    callback(): RequestListener<typeof IncomingMessage, typeof ServerResponse>;
    /** Its winston logger; closed when the server that used it closes. */
    readonly logger: { close(): void };
  }
  export default S3rver;
}
