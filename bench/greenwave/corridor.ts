/**
 * Test corridors for the SUMO green-wave bench, in the shape of the peer's gen_net.py
 * (../shared/peers/sumo/gen_net.py): a W–E arterial of signalised junctions J1…Jn, 2 lanes per
 * direction, side streets N/S of every junction (1 lane per direction, 40 km/h, 200 m), 300 m
 * approach legs at both ends. Through vehicles have ids starting with 'thruE' / 'thruW'.
 *
 * Writes plain XML for netconvert (nodes, edges) and the flows, which SUMO routes itself or duarouter
 * expands into vehicles (for tlsCoordinator.py).
 *
 * Arrivals: 'poisson' (default) draws each flow's departures at random, exponential gaps at the
 * flow's rate (SUMO `period="exp(rate)"`), anew for every SUMO seed; 'uniform' spaces them evenly
 * (`vehsPerHour`, the peer's gen_net.py), the same departures in every seed. Evenly spaced arrivals
 * make a plan's result depend on its absolute phase: on U700-60 at 900 veh/h shifting
 * tlsCoordinator's offsets all by one common amount (10–51 s; the same plan) moved its through stops
 * from 1.07 to 1.09–1.13 over six seeds, more than the bench's 2 % "no worse" band.
 */
export type Arrivals = 'poisson' | 'uniform';

export interface CorridorSpec {
  name: string;
  /** Spacing between consecutive junctions, m. */
  spacingM: number[];
  speedKmh: number;
  /** Through demand per direction, veh/h (both lanes together). */
  throughVehPerH: number;
  /** Side-street demand per junction: crossing N→S and S→N each, veh/h. */
  crossVehPerH: number;
  /** Turn-ins from each side street onto the arterial (N→E and S→W), veh/h each. */
  turnInVehPerH: number;
  /** Turn-offs from the arterial into each side street, veh/h each direction. */
  turnOffVehPerH: number;
  /**
   * 'left' (the peer's: eastbound into N, westbound into S, permissive left turns that wait in the
   * junction and hold up the lane behind them) or 'right' (eastbound into S, westbound into N; left
   * turns off the arterial banned, 禁左, as is common on green-wave corridors). Default 'left'.
   */
  turnOffSide?: 'left' | 'right';
}

export interface CorridorFiles {
  nodes: string;
  edges: string;
  flows: string;
  /** Junction ids in outbound (eastbound) order. */
  route: string[];
  /** Junction x positions, m. */
  xM: number[];
}

export function corridorFiles(spec: CorridorSpec, durationS = 3600, arrivals: Arrivals = 'poisson'): CorridorFiles {
  const xs = [300];
  for (const s of spec.spacingM) xs.push(xs[xs.length - 1] + s);
  const xe = xs[xs.length - 1] + 300;
  const n = xs.length;
  const v = (spec.speedKmh / 3.6).toFixed(2);
  const nod = ['<nodes>', '  <node id="W" x="0" y="0" type="priority"/>', `  <node id="E" x="${xe}" y="0" type="priority"/>`];
  xs.forEach((x, k) => {
    nod.push(`  <node id="J${k + 1}" x="${x}" y="0" type="traffic_light"/>`);
    nod.push(`  <node id="N${k + 1}" x="${x}" y="200" type="priority"/>`);
    nod.push(`  <node id="S${k + 1}" x="${x}" y="-200" type="priority"/>`);
  });
  nod.push('</nodes>');
  const main = ['W', ...xs.map((_, k) => `J${k + 1}`), 'E'];
  const edg = ['<edges>'];
  for (let i = 0; i + 1 < main.length; i++) {
    const a = main[i], b = main[i + 1];
    edg.push(`  <edge id="${a}_${b}" from="${a}" to="${b}" numLanes="2" speed="${v}" priority="3"/>`);
    edg.push(`  <edge id="${b}_${a}" from="${b}" to="${a}" numLanes="2" speed="${v}" priority="3"/>`);
  }
  for (let k = 1; k <= n; k++) {
    for (const s of ['N', 'S']) {
      edg.push(`  <edge id="${s}${k}_J${k}" from="${s}${k}" to="J${k}" numLanes="1" speed="11.11" priority="1"/>`);
      edg.push(`  <edge id="J${k}_${s}${k}" from="J${k}" to="${s}${k}" numLanes="1" speed="11.11" priority="1"/>`);
    }
  }
  edg.push('</edges>');
  const right = spec.turnOffSide === 'right';
  const firstIn = 'W_J1', lastOut = `J${n}_E`, eastIn = `E_J${n}`, westOut = 'J1_W';
  const flow = (id: string, vph: number, from: string, to: string, lane = 'best') =>
    vph > 0 ? [`  <flow id="${id}" type="car" begin="0" end="${durationS}" ${arrivals === 'poisson' ? `period="exp(${(vph / 3600).toFixed(6)})"` : `vehsPerHour="${vph}"`} from="${from}" to="${to}" departLane="${lane}" departSpeed="max"/>`] : [];
  const rou = [
    '<routes>',
    `  <vType id="car" accel="2.6" decel="4.5" sigma="0.5" length="5" maxSpeed="${((spec.speedKmh / 3.6) * 1.2).toFixed(2)}"/>`,
    ...flow('thruE', spec.throughVehPerH, firstIn, lastOut),
    ...flow('thruW', spec.throughVehPerH, eastIn, westOut),
  ];
  for (let k = 1; k <= n; k++) {
    rou.push(
      ...flow(`ns${k}`, spec.crossVehPerH, `N${k}_J${k}`, `J${k}_S${k}`, 'free'),
      ...flow(`sn${k}`, spec.crossVehPerH, `S${k}_J${k}`, `J${k}_N${k}`, 'free'),
      ...flow(`nE${k}`, spec.turnInVehPerH, `N${k}_J${k}`, lastOut, 'free'),
      ...flow(`sW${k}`, spec.turnInVehPerH, `S${k}_J${k}`, westOut, 'free'),
      ...flow(`wN${k}`, spec.turnOffVehPerH, firstIn, `J${k}_${right ? 'S' : 'N'}${k}`),
      ...flow(`eS${k}`, spec.turnOffVehPerH, eastIn, `J${k}_${right ? 'N' : 'S'}${k}`),
    );
  }
  rou.push('</routes>');
  return { nodes: nod.join('\n') + '\n', edges: edg.join('\n') + '\n', flows: rou.join('\n') + '\n', route: main.slice(1, -1), xM: xs };
}
