/**
 * Who may read what: a public city (and its scenarios, jobs and reports) is readable by anyone, the
 * big screen included; any other city only by a logged-in user (any role). Writes are checked by role
 * in each route (`requireRole`).
 */
import type { FastifyRequest } from 'fastify';
import type { CityInfo, CityStore } from '../db/cities.ts';
import type { ScenarioStore } from '../db/scenarios.ts';
import { HttpError } from './http.ts';

/** The city when the client may read it: 404 when there is none, 401 when it is not public and the client is anonymous. */
export async function readableCity(cities: CityStore, id: string, request: FastifyRequest): Promise<CityInfo> {
  const city = await cities.info(id);
  if (!city) throw new HttpError(404, `no city ${id}`);
  if (!city.public && !request.user) throw new HttpError(401, `city ${id} is not public: log in to read it`);
  return city;
}

/** The id of a city's scenario when the client may read it (see {@link readableCity}). */
export async function readableScenarioCity(scenarios: ScenarioStore, cities: CityStore, scenarioId: string, request: FastifyRequest): Promise<CityInfo> {
  const cityId = await scenarios.cityOf(scenarioId);
  if (cityId === null) throw new HttpError(404, `no scenario ${scenarioId}`);
  return readableCity(cities, cityId, request);
}

/** Ids of the cities a client may read, or null for all of them (logged in). */
export async function readableCityIds(cities: CityStore, request: FastifyRequest): Promise<string[] | null> {
  return request.user ? null : (await cities.list(false)).map((c) => c.id);
}
