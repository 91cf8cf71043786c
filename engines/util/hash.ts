import { createHash } from 'node:crypto';

/** The sha256 of a string's UTF-8 bytes, or of bytes, as lower-case hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
