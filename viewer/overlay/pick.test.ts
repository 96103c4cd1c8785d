import { describe, expect, it } from 'vitest';
import { cameraWorldMatrix } from './frame.ts';
import { inViewMask, pickNearest } from './pick.ts';

const view = { world: cameraWorldMatrix([0, 0, 0], [0, 1, 0], [0, 0, 1]), fovyRad: Math.PI / 2, aspect: 1, widthPx: 600, heightPx: 600 };
// anchors: 0 at the centre 100 m away, 1 a little right of it (100 m), 2 on the centre line 300 m away, 3 behind the eye, 4 far off to the side
const xyz = Float64Array.from([0, 100, 0, 2, 100, 0, 0, 300, 0, 0, -50, 0, 500, 100, 0]);

describe('pickNearest', () => {
  it('takes the nearest projection within the radius, the nearer anchor on a tie', () => {
    expect(pickNearest(view, xyz, 5, 300, 300, () => 10)).toBe(0); // 0 and 2 both project to the centre: 0 is nearer the eye
    expect(pickNearest(view, xyz, 5, 306, 300, () => 10)).toBe(1); // 1 projects at x = 306
    expect(pickNearest(view, xyz, 5, 300, 330, () => 10)).toBe(-1);
    expect(pickNearest(view, xyz, 5, 300, 300, () => 10, (i) => i !== 0)).toBe(2);
    expect(pickNearest(view, xyz, 5, 300, 300, (i) => (i === 0 ? 0 : 10), (i) => i !== 2 && i !== 1)).toBe(0);
  });
});

describe('inViewMask', () => {
  it('marks anchors in the viewport, not those behind the eye or outside', () => {
    const out = new Uint8Array(5);
    expect(inViewMask(view, xyz, 5, 0, out)).toBe(3);
    expect([...out]).toEqual([1, 1, 1, 0, 0]);
  });
});
