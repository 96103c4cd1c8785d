/**
 * Password hashing with scrypt (RFC 7914) from node:crypto — a standard memory-hard KDF, no native
 * module. Parameters: N = 2^15, r = 8, p = 1 (32 MiB of memory, about 0.1 s per hash on one core; the
 * OWASP password-storage minimum for scrypt is N = 2^17 with r = 8 and p = 1 *or* equivalent trade-offs
 * — N = 2^15 with p = 1 is below that, chosen so that a 2-core server stays responsive; raise N here and
 * old hashes keep verifying because the parameters are stored in each hash), a 16-byte random salt
 * and a 32-byte key. Stored as `scrypt$N$r$p$saltBase64$keyBase64`; compared in constant time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** The parameters new hashes use. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Bytes of memory scrypt needs for (N, r): 128·N·r, plus slack. */
const maxmemFor = (N: number, r: number) => 128 * N * r + 1024 * 1024;

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = await scrypt(password, salt, keyLength, { N, r, p, maxmem: maxmemFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches a hash made by {@link hashPassword} (with whatever parameters it stored). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: maxmemFor(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
