-- The live scenario of a city: the one the big screen follows (GET/PUT /api/cities/:id/live-scenario).
-- Idempotent (IF NOT EXISTS), runs unchanged on PGlite and on PostgreSQL ≥ 13. The scenario must be of
-- the same city (checked by the API); deleting it leaves the city without a live scenario.
ALTER TABLE cities ADD COLUMN IF NOT EXISTS live_scenario_id text REFERENCES scenarios(id) ON DELETE SET NULL;
