/**
 * The workbench's optimiser tab ("next star" placement proposals): viewer/optimiser/panel.ts. A
 * proposal ghost clicked in 3D ('proposal' event) selects that proposal in the list: the tab is shown,
 * its item is marked (`aria-current`), scrolled into view and focused, and its ghosts are highlighted.
 */
import { mountOptimiserPanel } from '../../optimiser/panel.ts';
import type { WorkbenchContext, WorkbenchMount } from '../context.ts';

/** The list item of the proposal a ghost belongs to (a sector ghost is `<proposal>/<azimuth>`), or null. */
export function proposalItemOf(tab: ParentNode, ghostId: string): HTMLElement | null {
  const items = [...tab.querySelectorAll<HTMLElement>('li[data-proposal]')];
  return items.find((li) => li.dataset.proposal === ghostId) ?? items.find((li) => li.dataset.proposal === ghostId.replace(/\/\d+$/, '')) ?? null;
}

function selectPicked(ctx: WorkbenchContext, tab: HTMLElement): void {
  for (const li of tab.querySelectorAll<HTMLElement>('li[data-proposal][aria-current]')) {
    li.removeAttribute('aria-current');
    li.style.outline = '';
  }
  const ghost = ctx.pickedProposal();
  const li = ghost ? proposalItemOf(tab, ghost) : null;
  if (!li) return;
  const proposalId = li.dataset.proposal!;
  document.getElementById('wb-tab-optimiser')?.click();
  li.setAttribute('aria-current', 'true');
  li.style.outline = '2px solid #ffd400';
  li.scrollIntoView({ block: 'nearest' });
  li.querySelector<HTMLElement>('.optgw-fly')?.focus({ preventScroll: true });
  // its ghosts (every sector of a site) in the highlight colour
  ctx.highlight({ deviceIds: ctx.proposals().map((f) => f.id).filter((id) => id === proposalId || id.startsWith(`${proposalId}/`)) });
}

const mount: WorkbenchMount = {
  id: 'optimiser',
  order: 50,
  tabKey: 'optgw.optimiser.tab',
  mount(ctx, tab) {
    if (!tab) throw new Error('optimiser: needs a tab');
    const panel = mountOptimiserPanel(ctx, tab);
    const off = ctx.on('proposal', () => selectPicked(ctx, tab));
    return {
      dispose() {
        off();
        panel.dispose();
      },
    };
  },
};
export default mount;
