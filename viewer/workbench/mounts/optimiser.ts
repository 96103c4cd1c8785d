/** The workbench's optimiser tab ("next star" placement proposals): viewer/optimiser/panel.ts. */
import { mountOptimiserPanel } from '../../optimiser/panel.ts';
import type { WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'optimiser',
  order: 50,
  tabKey: 'optgw.optimiser.tab',
  mount(ctx, tab) {
    if (!tab) throw new Error('optimiser: needs a tab');
    return mountOptimiserPanel(ctx, tab);
  },
};
export default mount;
