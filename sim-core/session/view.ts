/**
 * ResultView: the client's picture of a session's results, built from a snapshot and the deltas that
 * follow, which never goes back in time.
 *
 * Every item (a video area, an intersection, a 5G area, an indicator value, a star level) remembers the
 * sequence number of the answer it came from. A delta newer than every answer seen so far is delivered
 * whole. A delta that arrives after a newer one (a re-ordered or replayed answer) is **not delivered**:
 * an older result is never shown after a newer one. Its items that no newer answer has touched are
 * still the current values (deltas carry absolute values), so they are kept in the view and added to
 * the next delta that is delivered; items a newer answer already gave are dropped.
 */
import type { AreaResult, IntersectionResult } from '../coverage/session.ts';
import type { SimulatedIndicatorValue } from '../indicators/values.ts';
import type { SessionDelta, SessionSnapshot } from './api.ts';
import type { Nr5gAreaState, StarChange, StarLevel } from './session.ts';

interface Versioned<T> {
  seq: number;
  value: T;
}

type Table<T> = Map<string, Versioned<T>>;

function accept<T>(table: Table<T>, key: string, seq: number, value: T): boolean {
  const known = table.get(key);
  if (known && known.seq >= seq) return false;
  table.set(key, { seq, value });
  return true;
}

/** See the module doc. */
export class ResultView {
  /** Sequence number of the newest answer delivered. */
  seq = 0;
  /** Answers not delivered because a newer one had been (re-ordered or replayed). */
  staleDropped = 0;
  private readonly videoAreas: Table<AreaResult> = new Map();
  private readonly intersections: Table<IntersectionResult> = new Map();
  private readonly nrAreas: Table<Nr5gAreaState> = new Map();
  private readonly values: Table<SimulatedIndicatorValue> = new Map();
  private readonly stars: Table<StarLevel> = new Map();
  /** Still-current items of undelivered answers, to go out with the next delivered delta. */
  private carry: Omit<SessionDelta, 'seq' | 'applied' | 'rejected' | 'computeMs'> | null = null;

  /** Takes a snapshot; returns false (and ignores it) when a newer answer was already delivered. */
  reset(s: SessionSnapshot): boolean {
    if (s.seq <= this.seq) {
      this.staleDropped++;
      return false;
    }
    this.seq = s.seq;
    this.carry = null;
    for (const t of [this.videoAreas, this.intersections, this.nrAreas, this.values, this.stars] as Table<unknown>[]) t.clear();
    for (const a of s.video.areas) this.videoAreas.set(a.id, { seq: s.seq, value: a });
    for (const x of s.video.intersections) this.intersections.set(x.nodeId, { seq: s.seq, value: x });
    for (const a of s.nr5g?.areas ?? []) this.nrAreas.set(a.id, { seq: s.seq, value: a });
    for (const [k, v] of Object.entries(s.indicators)) this.values.set(k, { seq: s.seq, value: v });
    for (const st of s.stars) this.stars.set(st.indicator, { seq: s.seq, value: st });
    return true;
  }

  /**
   * Takes a delta. Returns the delta to deliver (with any carried items merged in), or null when it is
   * older than an answer already delivered.
   */
  accept(d: SessionDelta): SessionDelta | null {
    const seq = d.seq;
    const stale = seq <= this.seq;
    const videoAreas = d.video.areas.filter((a) => accept(this.videoAreas, a.id, seq, a));
    const intersections = d.video.intersections.filter((x) => accept(this.intersections, x.nodeId, seq, x));
    const nrAreas = d.nr5g.areas.filter((a) => accept(this.nrAreas, a.id, seq, a));
    const indicators = Object.fromEntries(Object.entries(d.indicators).filter(([k, v]) => accept(this.values, k, seq, v)));
    const stars = d.stars.filter((s) => accept(this.stars, s.indicator, seq, s));
    if (stale) {
      this.staleDropped++;
      const c = (this.carry ??= { video: { areas: [], intersections: [] }, nr5g: { areas: [] }, indicators: {}, stars: [] });
      c.video.areas.push(...videoAreas);
      c.video.intersections.push(...intersections);
      c.nr5g.areas.push(...nrAreas);
      Object.assign(c.indicators, indicators);
      c.stars.push(...stars);
      return null;
    }
    this.seq = seq;
    const out: SessionDelta = { ...d, video: { areas: videoAreas, intersections }, nr5g: { areas: nrAreas }, indicators, stars };
    const c = this.carry;
    this.carry = null;
    if (c) {
      // Carried items are current unless this delta gave a newer value for them.
      const has = <T>(list: T[], key: (t: T) => string) => new Set(list.map(key));
      const va = has(videoAreas, (a) => a.id), vi = has(intersections, (x) => x.nodeId), na = has(nrAreas, (a) => a.id);
      out.video.areas = [...c.video.areas.filter((a) => !va.has(a.id)), ...videoAreas];
      out.video.intersections = [...c.video.intersections.filter((x) => !vi.has(x.nodeId)), ...intersections];
      out.nr5g.areas = [...c.nr5g.areas.filter((a) => !na.has(a.id)), ...nrAreas];
      out.indicators = { ...c.indicators, ...indicators };
      out.stars = mergeStars(c.stars, stars);
    }
    return out;
  }

  /** Current results (the newest value known of every item). */
  current() {
    const values = <T>(t: Table<T>) => [...t.values()].map((v) => v.value);
    return {
      seq: this.seq,
      video: { areas: values(this.videoAreas), intersections: values(this.intersections) },
      nr5g: { areas: values(this.nrAreas) },
      indicators: Object.fromEntries([...this.values].map(([k, v]) => [k, v.value])),
      stars: values(this.stars),
    };
  }
}

/** Star changes of two undelivered/delivered steps as one change per row (first `before`, last level). */
function mergeStars(first: StarChange[], then: StarChange[]): StarChange[] {
  const byRow = new Map<string, StarChange>();
  for (const s of first) byRow.set(s.indicator, s);
  for (const s of then) {
    const prev = byRow.get(s.indicator);
    byRow.set(s.indicator, prev ? { ...s, before: prev.before } : s);
  }
  return [...byRow.values()].filter((s) => s.before !== s.stars);
}
