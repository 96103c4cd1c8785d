/**
 * `cimtwin pathloss`: one path-loss value of 3GPP TR 38.901 Table 7.4.1-1, for checking the
 * implementation against the specification by hand.
 *
 *   cimtwin pathloss --model uma --los --fc-ghz 3.5 --d2d-m 100 --hbs-m 25 --hut-m 1.5
 *   → 83.138 dB  (UMa LOS PL1; d3D 102.724 m, d'BP 560.000 m, σSF 4 dB)
 *
 * Ranges are the table's by default (`--ranges strict`: d2D 10 m–5 km, hUT 1.5–22.5 m, hBS 25 m for UMa
 * and 10 m for UMi, fc 0.5–100 GHz); `--ranges planning` uses any mast height and clamps d2D < 10 m
 * and hUT as sim-core does for maps. Out of range is an error with exit code 1.
 */
import type { CAC } from 'cac';
import { PATH_LOSS_RANGES, pathLoss38901, type PathLossScenario, type RangePolicy } from '../../../sim-core/coverage/cellular/path-loss.ts';
import { action, type CliContext } from '../main.ts';

interface PathLossFlags {
  model?: unknown;
  los?: boolean;
  nlos?: boolean;
  fcGhz?: unknown;
  d2dM?: unknown;
  hbsM?: unknown;
  hutM?: unknown;
  heM?: unknown;
  ranges?: unknown;
  json?: boolean;
}

function number(flag: string, v: unknown, required: boolean): number | undefined {
  if (v === undefined || v === true) {
    if (required || v === true) throw new Error(`--${flag} needs a number`);
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`--${flag}: expected a number, got ${JSON.stringify(v)}`);
  return n;
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('pathloss', 'Print one 3GPP TR 38.901 UMa / UMi-Street Canyon path loss in dB (Table 7.4.1-1), to check against the specification')
    .option('--model <uma|umi>', 'Scenario: uma (Urban Macro) or umi (Urban Micro, street canyon)')
    .option('--los', 'Line of sight')
    .option('--nlos', 'No line of sight: max(PL_LOS, PL\'_NLOS)')
    .option('--fc-ghz <f>', 'Centre frequency, GHz (0.5–100)')
    .option('--d2d-m <d>', 'Horizontal BS–UE distance, metres')
    .option('--hbs-m <h>', 'BS antenna height, metres (default 25 for uma, 10 for umi)')
    .option('--hut-m <h>', 'UE antenna height, metres (default 1.5)')
    .option('--he-m <h>', "Effective environment height hE for d'BP, metres (default 1)")
    .option('--ranges <policy>', 'strict (default: the table\'s ranges) or planning (real mast heights, d2D < 10 m clamped)')
    .option('--json', 'Print every intermediate value as JSON')
    .example('cimtwin pathloss --model uma --los --fc-ghz 3.5 --d2d-m 100')
    .example('cimtwin pathloss --model umi --nlos --fc-ghz 3.5 --d2d-m 400 --hbs-m 10 --hut-m 1.5')
    .action(
      action(ctx, async (flags: PathLossFlags) => {
        const model = String(flags.model ?? '');
        if (model !== 'uma' && model !== 'umi') throw new Error(`--model must be uma or umi, got ${flags.model === undefined ? 'nothing' : JSON.stringify(flags.model)}`);
        if (!!flags.los === !!flags.nlos) throw new Error('give exactly one of --los or --nlos');
        const ranges = String(flags.ranges ?? 'strict');
        if (ranges !== 'strict' && ranges !== 'planning') throw new Error(`--ranges must be strict or planning, got ${JSON.stringify(flags.ranges)}`);
        const scenario = model as PathLossScenario;
        const input = {
          scenario,
          los: !!flags.los,
          fcGHz: number('fc-ghz', flags.fcGhz, true) as number,
          d2DM: number('d2d-m', flags.d2dM, true) as number,
          hBsM: number('hbs-m', flags.hbsM, false) ?? PATH_LOSS_RANGES[scenario].hBsM,
          hUtM: number('hut-m', flags.hutM, false) ?? 1.5,
          hEM: number('he-m', flags.heM, false) ?? 1,
          ranges: ranges as RangePolicy,
        };
        const r = pathLoss38901(input);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ input, ...r, specification: '3GPP TR 38.901 V16.1.0/V17.0.0 Table 7.4.1-1' }, null, 2)}\n`);
          return;
        }
        const name = scenario === 'uma' ? 'UMa' : 'UMi-Street Canyon';
        process.stdout.write(
          `${r.pathLossDb.toFixed(3)} dB  (${name} ${input.los ? 'LOS' : 'NLOS'} ${r.formula}; d3D ${r.d3DM.toFixed(3)} m, d'BP ${r.breakpointM.toFixed(3)} m, σSF ${r.sigmaSfDb} dB)\n`,
        );
      }),
    );
}
