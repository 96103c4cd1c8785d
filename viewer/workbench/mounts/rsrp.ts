/** The 5G SS-RSRP raster and holes layer (viewer/panels/rsrp-layer.ts; docs/panels.md). */
import '../../panels/panels.css';
import { mountRsrpLayer } from '../../panels/rsrp-layer.ts';
import type { WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'rsrp',
  order: 60,
  tabKey: null,
  mount: (ctx) => mountRsrpLayer(ctx),
};
export default mount;
