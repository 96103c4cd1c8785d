/** Scenario A vs B tab (viewer/panels/compare-panel.ts; docs/panels.md). */
import '../../panels/panels.css';
import { mountComparePanel } from '../../panels/compare-panel.ts';
import type { WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'compare',
  order: 25,
  tabKey: 'panels.compare.tab',
  mount(ctx, tab) {
    if (!tab) throw new Error('the compare panel needs a tab');
    return mountComparePanel(ctx, tab);
  },
};
export default mount;
