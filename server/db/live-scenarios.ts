/**
 * The live scenario of a city: the scenario the big screen follows (`cities.live_scenario_id`,
 * migration 002). At start the served city gets one when it has none: "现状 (live)", the city's own
 * devices, made by the system (createdBy null). An admin may point a city at another of its scenarios.
 */
import type { CityStore } from './cities.ts';
import type { Db } from './db.ts';
import type { ScenarioInfo, ScenarioStore } from './scenarios.ts';

/** Name of the live scenario made at start. */
export const LIVE_SCENARIO_NAME = '现状 (live)';

/** The scenario is of another city than the one it was to be the live scenario of. */
export class ForeignScenarioError extends Error {}

/** The live scenario's id of a city: undefined when there is no such city, null when it has none. */
export async function liveScenarioId(db: Db, cityId: string): Promise<string | null | undefined> {
  const r = await db.query<{ live_scenario_id: string | null }>('SELECT live_scenario_id FROM cities WHERE id = $1', [cityId]);
  return r.rows.length === 0 ? undefined : r.rows[0].live_scenario_id;
}

/**
 * Gives the city a live scenario when it has none (its own devices, created by the system); returns
 * the live scenario's id and whether it was made now. The city row is locked meanwhile, so two callers
 * make one scenario, not two.
 */
export async function ensureLiveScenario(db: Db, cities: CityStore, scenarios: ScenarioStore, cityId: string): Promise<{ id: string; created: boolean }> {
  const existing = await liveScenarioId(db, cityId);
  if (existing === undefined) throw new Error(`no city ${cityId}`);
  if (existing !== null) return { id: existing, created: false };
  const devices = await cities.deviceFeatures(cityId);
  const out = await db.transaction(async (tx) => {
    const row = (await tx.query<{ live_scenario_id: string | null }>('SELECT live_scenario_id FROM cities WHERE id = $1 FOR UPDATE', [cityId])).rows[0];
    if (row.live_scenario_id !== null) return { id: row.live_scenario_id, created: null };
    const s = await scenarios.create(cityId, LIVE_SCENARIO_NAME, devices, null, 'the devices of the city as it is (made by the server at start)', tx);
    await tx.query('UPDATE cities SET live_scenario_id = $2 WHERE id = $1', [cityId, s.id]);
    return { id: s.id, created: s };
  });
  if (out.created === null) return { id: out.id, created: false };
  scenarios.events.committed(out.created, null);
  return { id: out.id, created: true };
}

/**
 * Points a city's live scenario at `scenarioId` (a scenario of the same city); returns its record, or
 * null when the city or the scenario does not exist (`missing` says which). Announced on the bus
 * ({@link ScenarioStore.events}) after commit.
 */
export async function setLiveScenario(db: Db, scenarios: ScenarioStore, cityId: string, scenarioId: string): Promise<ScenarioInfo | { missing: 'city' | 'scenario' }> {
  const out = await db.transaction(async (tx) => {
    const city = (await tx.query('SELECT id FROM cities WHERE id = $1 FOR UPDATE', [cityId])).rows[0];
    if (!city) return { missing: 'city' as const };
    const s = (await tx.query<{ city_id: string }>('SELECT city_id FROM scenarios WHERE id = $1', [scenarioId])).rows[0];
    if (!s) return { missing: 'scenario' as const };
    if (s.city_id !== cityId) throw new ForeignScenarioError(`scenario ${scenarioId} is of city ${s.city_id}, not of city ${cityId}: a city's live scenario must be one of its own`);
    await tx.query('UPDATE cities SET live_scenario_id = $2 WHERE id = $1', [cityId, scenarioId]);
    return null;
  });
  if (out) return out;
  scenarios.events.liveScenarioChanged({ cityId, scenarioId });
  return (await scenarios.info(scenarioId))!;
}
