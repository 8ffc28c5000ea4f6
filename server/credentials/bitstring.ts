// The Bitstring Status List encoding (W3C, v1.0): a list's bits gzip-compressed and written as a
// multibase base64url string ('u' first). Index 0 is the left-most bit of the first byte.
import { gzipSync } from 'node:zlib';

export function encodeStatusList(bits: Uint8Array): string {
  return `u${gzipSync(bits).toString('base64url')}`;
}

/**
 * The position PostgreSQL's set_bit() takes for a list index: set_bit counts bits of a byte from the
 * least significant, the status list from the most significant.
 */
export function setBitPosition(index: number): number {
  return (index >> 3) * 8 + (7 - (index & 7));
}
