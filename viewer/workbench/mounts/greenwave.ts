/** The workbench's green-wave tab (corridor, method, time-space diagram, platoons in 3D): viewer/greenwave/panel.ts. */
import { mountGreenwavePanel } from '../../greenwave/panel.ts';
import type { WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'greenwave',
  order: 60,
  tabKey: 'optgw.greenwave.tab',
  mount(ctx, tab) {
    if (!tab) throw new Error('greenwave: needs a tab');
    return mountGreenwavePanel(ctx, tab);
  },
};
export default mount;
