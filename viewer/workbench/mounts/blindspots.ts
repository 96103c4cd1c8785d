/** Blind spots of the selected indicator as a layer (viewer/panels/blindspots-layer.ts; docs/panels.md). */
import '../../panels/panels.css';
import { mountBlindSpotLayer } from '../../panels/blindspots-layer.ts';
import type { WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'blindspots',
  order: 61,
  tabKey: null,
  mount: (ctx) => mountBlindSpotLayer(ctx),
};
export default mount;
