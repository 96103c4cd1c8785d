/**
 * Users, roles and session tokens in the database.
 *
 * Roles: `admin` (users, cities, and everything a planner does), `planner` (creates and edits scenarios,
 * submits jobs), `viewer` (the big screen and leadership: reads only). A session token is 32 random
 * bytes (base64url) handed to the client once; the database keeps only its SHA-256, so a leaked table
 * does not leak usable tokens. Tokens expire after {@link SESSION_TTL_S}.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const ROLES = ['admin', 'planner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A user as the API shows it (never the hash). */
export interface User {
  id: string;
  username: string;
  role: Role;
}

/** Session lifetime: 12 hours. */
export const SESSION_TTL_S = 12 * 3600;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Usernames: 1–64 letters, digits, `._-` (any script). */
export const USERNAME_PATTERN = '^[\\p{L}\\p{N}._-]{1,64}$';

/** Creates a user; throws a {@link UserExistsError} when the name is taken. */
export async function createUser(db: Queryable, username: string, password: string, role: Role): Promise<User> {
  const id = randomUUID();
  const hash = await hashPassword(password);
  const r = await db.query('INSERT INTO users(id, username, role, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING', [id, username, role, hash]);
  if (r.affectedRows === 0) throw new UserExistsError(username);
  return { id, username, role };
}

/** Thrown by {@link createUser} for a name already taken. */
export class UserExistsError extends Error {
  constructor(username: string) {
    super(`a user named '${username}' already exists`);
  }
}

/** All users, by name. */
export async function listUsers(db: Queryable): Promise<User[]> {
  return (await db.query<User>('SELECT id, username, role FROM users ORDER BY username')).rows;
}

/** The user when the password matches, else null (the same answer for an unknown name). */
export async function checkLogin(db: Queryable, username: string, password: string): Promise<User | null> {
  const row = (await db.query<User & { password_hash: string }>('SELECT id, username, role, password_hash FROM users WHERE username = $1', [username])).rows[0];
  // Hash anyway for an unknown name, so that timing does not tell which names exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok ? { id: row.id, username: row.username, role: row.role } : null;
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Starts a session; returns the token (shown to the client once) and its expiry. */
export async function createSession(db: Queryable, userId: string, ttlS = SESSION_TTL_S): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlS * 1000);
  await db.query('INSERT INTO sessions(token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash(token), userId, expiresAt]);
  return { token, expiresAt };
}

/** The user of a live session token, or null (unknown or expired). */
export async function userOfToken(db: Queryable, token: string): Promise<User | null> {
  const row = (
    await db.query<User>('SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()', [tokenHash(token)])
  ).rows[0];
  return row ?? null;
}

/** Ends a session. */
export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
}

/** Changes a user's role; false when no such user. */
export async function setRole(db: Queryable, userId: string, role: Role): Promise<boolean> {
  return (await db.query('UPDATE users SET role = $2 WHERE id = $1', [userId, role])).affectedRows > 0;
}

/**
 * Makes sure an admin exists. On an empty `users` table, creates `admin` with `password` (from
 * CIMTWIN_ADMIN_PASSWORD) or a random one-time password, and returns what was created so that the
 * caller can print it once; returns null when users already exist.
 */
export async function ensureFirstAdmin(db: Queryable, password?: string): Promise<{ username: string; password: string; generated: boolean } | null> {
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]?.n ?? 0;
  if (n > 0) return null;
  const generated = password === undefined || password === '';
  const pw = generated ? randomBytes(12).toString('base64url') : password!;
  try {
    await createUser(db, 'admin', pw, 'admin');
  } catch (e) {
    if (e instanceof UserExistsError) return null; // another server created it first
    throw e;
  }
  return { username: 'admin', password: pw, generated };
}
