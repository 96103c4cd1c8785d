/**
 * The `cimtwin` command line. Every verb lives in `server/cli/verbs/<verb>.ts` and exports
 * `register(cli, ctx)`; verbs are discovered from that folder so that new verbs need no edit here.
 */
import { cac, type CAC } from 'cac';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface CliContext {
  /** Set by a verb's action: the process exit code. */
  exitCode: number;
  /** Async work started by an action; main awaits it. */
  pending: Promise<unknown>[];
}

export interface VerbModule {
  register(cli: CAC, ctx: CliContext): void;
}

/** Wraps an async verb action so that errors print one clear line and set a non-zero exit code. */
export function action<A extends unknown[]>(ctx: CliContext, fn: (...args: A) => Promise<number | void>) {
  return (...args: A) => {
    const p = fn(...args).then(
      (code) => {
        if (typeof code === 'number') ctx.exitCode = code;
      },
      (err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        process.stderr.write(`cimtwin: ${msg}\n`);
        if (process.env.CIMTWIN_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
        ctx.exitCode = 1;
      },
    );
    ctx.pending.push(p);
  };
}

export async function main(argv: string[]): Promise<number> {
  // `cimtwin … -o - | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const cli = cac('cimtwin');
  const ctx: CliContext = { exitCode: 0, pending: [] };
  const here = dirname(fileURLToPath(import.meta.url));
  const verbDir = join(here, 'verbs');
  const files = readdirSync(verbDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  // Load only the verb asked for (some pull in fastify, PGlite or Cesium-sized modules); the full
  // list is loaded for `cimtwin`, `cimtwin --help` and unknown verbs, so help stays complete.
  const asked = argv[2] && !argv[2].startsWith('-') ? `${argv[2]}.ts` : null;
  const chosen = asked && files.includes(asked) ? [asked] : files;
  for (const f of chosen) {
    const mod = (await import(pathToFileURL(join(verbDir, f)).href)) as VerbModule;
    mod.register(cli, ctx);
  }
  cli.help();
  cli.version('0.1.0');
  try {
    cli.parse(argv, { run: false });
    if (!cli.matchedCommand) {
      if (cli.options.help || cli.options.version) return 0;
      const unknown = cli.args[0];
      if (unknown) process.stderr.write(`cimtwin: unknown verb '${unknown}'. Run 'cimtwin --help'.\n`);
      else cli.outputHelp();
      return unknown ? 2 : 0;
    }
    await cli.runMatchedCommand();
  } catch (err) {
    process.stderr.write(`cimtwin: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  await Promise.all(ctx.pending);
  return ctx.exitCode;
}
