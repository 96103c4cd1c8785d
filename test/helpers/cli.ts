/** Runs the real `cimtwin` CLI entry as a child process, as a user would, for the verbs' tests. */
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the CLI runs with it as its working directory). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'server/cli/cimtwin.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cimtwin …args`: resolves with the exit code and both outputs (never rejects). */
export function cimtwin(...args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CIMTWIN_DEBUG: '' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
