/** The indicator panel tab (viewer/panels/indicator-panel.ts; docs/panels.md). */
import '../../panels/panels.css';
import { mountIndicatorPanel } from '../../panels/indicator-panel.ts';
import type { WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'indicators',
  order: 20,
  tabKey: 'panels.indicators.tab',
  mount(ctx, tab) {
    if (!tab) throw new Error('the indicator panel needs a tab');
    return mountIndicatorPanel(ctx, tab);
  },
};
export default mount;
