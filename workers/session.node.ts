// Node worker_threads entry of the simulation session (started through bootstrap.mjs).
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort, workerData } from 'node:worker_threads';
import { createSessionApi } from '../sim-core/session/api.ts';
import { withTestHooks } from './test-hooks.ts';

expose(withTestHooks(createSessionApi(), workerData?.testHooks === true, () => process.exit(70)), nodeEndpoint(parentPort!));
