/**
 * One database interface over two engines: PGlite (PostgreSQL compiled to WebAssembly, in this process,
 * with its files in a data directory; the default, so that `cimtwin serve` needs nothing installed) and
 * a real PostgreSQL server through `pg` when a connection URL is given (`DATABASE_URL`). The same SQL
 * (server/db/migrations/*.sql) runs on both.
 *
 * Durability. PGlite writes its WAL and data files through Node's `fs` into the data directory before a
 * statement's promise resolves (we never set `relaxedDurability`), so an acknowledged commit survives the
 * process being killed (tested: server/crash.test.ts). WebAssembly has no fsync, so PGlite cannot force
 * the OS page cache to disk: a power cut can lose the last commits. Use PostgreSQL where that matters.
 *
 * A PGlite data directory must have one process at a time: `openDb` takes a lock file (`cimtwin.lock`
 * with the owner's pid) and refuses, naming the pid, while a live process holds it.
 */
import { PGlite } from '@electric-sql/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** A result set: rows as objects keyed by column name. */
export interface QueryResult<T> {
  rows: T[];
  /** Rows inserted, updated or deleted by the statement. */
  affectedRows: number;
}

/** Something that runs one parametrised statement (`$1`, `$2` …). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** An open database. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where it lives: the data directory, `memory`, or the URL without its password. */
  readonly location: string;
  /** Runs several statements separated by semicolons (no parameters). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How to open a database. */
export type DbOptions =
  /** PostgreSQL server (a `postgres://` URL). */
  | { url: string }
  /** PGlite with its files in `dataDir` (created when missing). */
  | { dataDir: string }
  /** PGlite in memory (tests; nothing kept). */
  | { memory: true };

const LOCK_FILE = 'cimtwin.lock';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock file; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // already removed
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && pidAlive(owner)) {
        throw new Error(`the data directory ${dir} is in use by process ${owner}; stop it, or pass another --data-dir`);
      }
      // Left by a process that died (kill -9, power cut): take it over.
      unlinkSync(path);
    }
  }
  throw new Error(`could not lock the data directory ${dir}`);
}

function normalise<T>(r: { rows: unknown[]; affectedRows?: number; rowCount?: number | null }): QueryResult<T> {
  return { rows: r.rows as T[], affectedRows: r.affectedRows ?? r.rowCount ?? 0 };
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  let unlock = () => {};
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let lite: PGlite;
  try {
    lite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  } catch (e) {
    unlock();
    throw new Error(`could not open the PGlite database in ${dataDir ?? 'memory'}: ${(e as Error).message}`);
  }
  let closed = false;
  return {
    kind: 'pglite',
    location: dataDir ?? 'memory',
    query: async <T>(sql: string, params?: unknown[]) => normalise<T>(await lite.query(sql, params)),
    exec: async (sql) => void (await lite.exec(sql)),
    transaction: (fn) => lite.transaction((tx) => fn({ query: async <T>(sql: string, params?: unknown[]) => normalise<T>(await tx.query(sql, params)) })),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await lite.close();
      } finally {
        unlock();
      }
    },
  };
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

async function openPostgres(url: string): Promise<Db> {
  // Timestamps come back as Date, jsonb parsed, int4 as number: the same as PGlite.
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end();
    throw new Error(`could not connect to PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`);
  }
  let closed = false;
  return {
    kind: 'postgres',
    location: redactUrl(url),
    query: async <T>(sql: string, params?: unknown[]) => normalise<T>(await pool.query(sql, params as unknown[])),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async <T>(sql: string, params?: unknown[]) => normalise<T>(await client.query(sql, params as unknown[])) });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Opens the database described by `options` (see {@link DbOptions}); migrations are separate ({@link migrate}). */
export function openDb(options: DbOptions): Promise<Db> {
  if ('url' in options) return openPostgres(options.url);
  if ('dataDir' in options) return openPglite(resolve(options.dataDir));
  return openPglite(undefined);
}

/** Bytes of a `bytea` column as a Buffer (PGlite answers Uint8Array, pg a Buffer). */
export function bytesOf(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError('not a bytea value');
}

/** An ISO 8601 string of a timestamp column (Date from both engines; strings passed through). */
export function isoOf(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}
