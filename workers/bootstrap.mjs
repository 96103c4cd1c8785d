// Entry of every Node worker_threads worker of workers/: Node 20 cannot start a worker on a .ts file
// (and `execArgv: ['--import', 'tsx']` fails there), so this plain module loads the TypeScript entry
// named in workerData.entry (relative to this folder) through tsx, as server/cli/cimtwin.mjs does.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
