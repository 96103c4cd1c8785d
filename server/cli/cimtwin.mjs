#!/usr/bin/env node
// Bootstrap for the `cimtwin` CLI: runs the TypeScript sources through tsx so that
// `npx cimtwin` works straight from a clone without a compile step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv);
