// Worker-thread entry of one server job (started through workers/bootstrap.mjs): unpacks the city,
// runs the kind from ./kinds.ts, posts throttled progress and then the result or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { unpackCity } from '../../sim-core/cim/transfer.ts';
import { runCoverage, runGreenwave, runPlacement, type JobKind } from './kinds.ts';
import type { WorkerMessage } from './executor.ts';
import { runTiles, type JobOutput } from './tiles-job.ts';

const { kind, params, city: packed, output, testDelayMs } = workerData as { kind: JobKind; params: never; city: ArrayBuffer; output?: JobOutput; testDelayMs?: number };
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

let last = 0;
const progress = (done: number, total: number, phase: string) => {
  const t = performance.now();
  if (done < total && t - last < 100) return;
  last = t;
  post({ type: 'progress', done, total, phase });
};

try {
  // Test hook: hold the job in its first phase for a while (crash and cancel tests need a job that is
  // certainly running when they act).
  if (testDelayMs) {
    progress(0, 1, 'delay');
    await new Promise((r) => setTimeout(r, testDelayMs));
  }
  const city = unpackCity(packed);
  let result: unknown;
  if (kind === 'coverage') result = runCoverage(city, params, progress);
  else if (kind === 'placement') result = await runPlacement(city, params, progress);
  else if (kind === 'greenwave') result = await runGreenwave(city, params, progress);
  else {
    if (!output) throw new Error('a tiles job needs an output folder');
    // Cancelling terminates this thread; the writer's temp-file-and-rename order keeps the previous tileset whole.
    result = await runTiles(city, params, output, progress);
  }
  post({ type: 'result', result });
} catch (e) {
  const err = e as Error;
  post({ type: 'error', message: err.message, name: err.name });
}
