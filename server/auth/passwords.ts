// Password hashing with scrypt (N=2^17, r=8, p=1: OWASP's recommended floor). The hash string
// carries its own parameters, so stronger settings later still verify older hashes. The tests
// lower N (PASSWORD_HASH_COST) so that creating a thousand users does not take minutes; the
// configuration refuses that in production.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
let params: { N: number; r: number; p: number } = SCRYPT_PARAMS;
let dummyHash: Promise<string> | undefined;

/** Sets the cost of new hashes for this process (log2 of N), from the configuration at start. */
export function setPasswordHashCost(log2N: number): void {
  params = { ...SCRYPT_PARAMS, N: 2 ** log2N };
  dummyHash = undefined;
}
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes, or Node refuses N=2^17.
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = params): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  const { N, r, p } = cost;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;
  const key = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  const expectedKey = Buffer.from(expected, 'base64');
  return expectedKey.length === key.length && timingSafeEqual(key, expectedKey);
}

// Verifying against this for an unknown user costs the same as for a real one, so response time
// does not tell which usernames exist.
export function hashForUnknownUser(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
