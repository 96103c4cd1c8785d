/**
 * Schema migrations: `server/db/migrations/NNN_name.sql`, applied in name order, each in its own
 * transaction, recorded in `schema_migrations(version, applied_at)`. On PostgreSQL a transaction-scoped
 * advisory lock keeps two servers starting at once from applying the same file twice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';

/** Folder of the SQL files. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any number: the key of the advisory lock held while migrating ("cimtwin" in ASCII, truncated). */
const LOCK_KEY = 0x63696d74;

/** The migration files, sorted: `{version: '001_init', sql}`. */
export function migrationFiles(dir = MIGRATIONS_DIR): { version: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** Applies the migrations not yet recorded; returns the versions applied now. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  // A transaction-scoped advisory lock: released at commit, on whichever pooled connection ran it.
  const lock = (tx: Queryable) => (db.kind === 'postgres' ? tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]) : Promise.resolve());
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  });
  const applied: string[] = [];
  for (const m of migrationFiles(dir)) {
    const did = await db.transaction(async (tx) => {
      await lock(tx);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.rows.length > 0) return false;
      // Statement by statement: pg's extended protocol and PGlite's query() take one at a time.
      for (const statement of splitSql(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations(version) VALUES ($1)', [m.version]);
      return true;
    });
    if (did) applied.push(m.version);
  }
  return applied;
}

/** Splits a migration file into statements: on semicolons at line ends, with `--` comments removed. */
export function splitSql(sql: string): string[] {
  return sql
    .split('\n')
    .map((l) => l.replace(/--.*$/, ''))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
