/**
 * The `cimtwin viewshed` work in a process of its own without the CLI's other verbs: Node and tsx
 * start-up, the verb module, read, compute, write. The bench times this beside the full CLI to show
 * how much of the CLI's time is start-up spent loading every other verb.
 *
 *   node --import tsx bench/viewshed/run-verb.ts <dsm.tif> <x,y> <observer height> <target height> <radius> <out.tif>
 */
import { runViewshed } from '../../server/cli/verbs/viewshed.ts';

const [dsm, observer, observerHeight, targetHeight, radius, output] = process.argv.slice(2);
const r = await runViewshed({ dsm, observer, observerHeight, targetHeight, radius, output });
process.stdout.write(`${r.visibleCount} ${r.readMs.toFixed(1)} ${r.computeMs.toFixed(1)} ${r.writeMs.toFixed(1)}\n`);
