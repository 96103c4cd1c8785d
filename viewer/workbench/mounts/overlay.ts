/**
 * The three.js overlay as a workbench part (no tab): devices, proposals, selection, highlight,
 * vehicles and drags from the context; a picker for glyphs, proposals and rotate handles; layer
 * toggles for frustums, 5G wedges, weather spacing circles and vehicles; `window.__cimtwin.overlay`.
 * See docs/overlay.md.
 */
import { installOverlayHooks } from '../../overlay/hooks.ts';
import { ThreeOverlay } from '../../overlay/overlay.ts';
import type { BaseLayerProps, OverlayLayer } from '../../overlay/layer.ts';
import type { LayerToggle, WorkbenchContext, WorkbenchMount } from '../context.ts';

const mount: WorkbenchMount = {
  id: 'overlay',
  order: 5,
  tabKey: null,
  mount(ctx: WorkbenchContext) {
    const overlay = new ThreeOverlay(ctx.scene.widget.scene, ctx.city);
    const off: (() => void)[] = [];
    const refreshDevices = () => overlay.setDevices(ctx.devices(), ctx.proposals());
    refreshDevices();
    overlay.setSelection(ctx.selection());
    overlay.setHighlight(ctx.highlighted().deviceIds);
    overlay.setVehicles(ctx.vehicles());
    off.push(
      ctx.on('devices', refreshDevices),
      ctx.on('proposals', () => overlay.setProposals(ctx.proposals())),
      ctx.on('selection', () => overlay.setSelection(ctx.selection())),
      ctx.on('highlight', () => overlay.setHighlight(ctx.highlighted().deviceIds)),
      ctx.on('vehicles', () => overlay.setVehicles(ctx.vehicles())),
      ctx.on('drag', () => {
        const d = ctx.dragging();
        overlay.setActiveHandle(d && d.mode !== 'move' ? d.mode : null);
      }),
    );
    off.push(ctx.addPicker((x, y) => overlay.pick(x, y)));
    const toggles: Record<string, LayerToggle> = {};
    const toggle = (id: string, labelKey: string, layer: OverlayLayer<BaseLayerProps>) => {
      const t: LayerToggle = {
        id,
        labelKey,
        visible: layer.props.visible,
        setVisible(visible: boolean) {
          t.visible = visible;
          layer.setProps({ visible });
        },
      };
      toggles[id] = t;
      off.push(ctx.addLayerToggle(t));
    };
    const as = (l: unknown) => l as OverlayLayer<BaseLayerProps>;
    toggle('overlay-frustums', 'overlay.layers.frustums', as(overlay.frustums));
    toggle('overlay-wedges', 'overlay.layers.wedges', as(overlay.wedges));
    toggle('overlay-spacing', 'overlay.layers.spacing', as(overlay.spacing));
    toggle('overlay-vehicles', 'overlay.layers.vehicles', as(overlay.vehicles));
    window.__cimtwin.overlay = installOverlayHooks(overlay, ctx.scene, toggles);
    return {
      dispose() {
        for (const f of off) f();
        overlay.dispose();
        if (window.__cimtwin.overlay) window.__cimtwin.overlay.ready = false;
      },
    };
  },
};

export default mount;
