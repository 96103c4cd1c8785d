// Node worker_threads entry of a pool worker (started through bootstrap.mjs).
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort, workerData } from 'node:worker_threads';
import { createPoolWorkerApi } from './pool-api.ts';
import { withTestHooks } from './test-hooks.ts';

expose(withTestHooks(createPoolWorkerApi(), workerData?.testHooks === true, () => process.exit(70)), nodeEndpoint(parentPort!));
