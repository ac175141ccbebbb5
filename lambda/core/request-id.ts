import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4_096;
const ID_BYTES = 16;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

/**
 * A request id: 32 lowercase hex chars of cryptographic randomness. Taken from a pool refilled
 * 4 KiB at a time, since one `randomBytes` call per request was a measurable share of a request.
 */
export function newRequestId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
