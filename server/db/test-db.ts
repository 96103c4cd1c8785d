/**
 * Databases for tests: every test file gets its own, on each engine.
 *
 * - PGlite: a data directory copied from a template made once per machine (initdb + migrations take
 *   10–20 s on 2 cores; copying and opening takes about 2 s). The template lives in the OS temp folder,
 *   keyed by the migrations' hash, and is built under a lock so that parallel test files share it.
 * - PostgreSQL: a fresh database on the server named by `CIMTWIN_TEST_PG_URL` (which
 *   scripts/ensure-postgres.mjs sets for `npm test`), dropped afterwards. Without it the PostgreSQL
 *   runs are skipped with a printed reason, except under CI=true, where they fail.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb, type Db } from './db.ts';
import { migrate, migrationFiles } from './migrate.ts';

/** One engine to run a test file against. */
export interface TestDatabase {
  engine: 'pglite' | 'postgres';
  /** Why it cannot run here (then the suite is skipped), or null. */
  skipReason: string | null;
  /** Opens a fresh, migrated database; `cleanup` removes it after `db.close()`. */
  open(): Promise<{ db: Db; cleanup(): Promise<void> }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha1').update(JSON.stringify(migrationFiles())).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `cimtwin-pglite-template-${hash}`);
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    try {
      mkdirSync(lock);
    } catch {
      // Another test file builds it; a lock older than 5 minutes is from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      await sleep(250);
      continue;
    }
    try {
      if (existsSync(join(dir, 'PG_VERSION'))) return dir;
      const building = `${dir}.build-${process.pid}`;
      rmSync(building, { recursive: true, force: true });
      const db = await openDb({ dataDir: building });
      await migrate(db);
      await db.close();
      renameSync(building, dir);
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

const pglite: TestDatabase = {
  engine: 'pglite',
  skipReason: null,
  async open() {
    const template = await pgliteTemplate();
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-test-db-'));
    cpSync(template, dir, { recursive: true });
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    return { db, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const PG_URL = process.env.CIMTWIN_TEST_PG_URL;

const postgres: TestDatabase = {
  engine: 'postgres',
  skipReason: PG_URL || process.env.CI === 'true' ? null : 'CIMTWIN_TEST_PG_URL is not set (npm test sets it through scripts/ensure-postgres.mjs)',
  async open() {
    if (!PG_URL) throw new Error('CIMTWIN_TEST_PG_URL is not set: under CI the PostgreSQL tests must run (npm test starts a cluster with scripts/ensure-postgres.mjs)');
    const name = `cimtwin_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const db = await openDb({ url: url.toString() });
    await migrate(db);
    return {
      db,
      async cleanup() {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  },
};

/** The engines every database test runs against. */
export const TEST_DATABASES: readonly TestDatabase[] = [pglite, postgres];

/** Prints why a suite is skipped (so that a skip is never silent). */
export function announceSkip(db: TestDatabase, suite: string): void {
  if (db.skipReason) process.stderr.write(`skipping ${suite} on ${db.engine}: ${db.skipReason}\n`);
}
