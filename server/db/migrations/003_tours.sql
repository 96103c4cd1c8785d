-- Tours of the 城市运行全景图 (server/routes/tours.ts, sim-core/tour): one row per stored tour, the
-- latest version only (a save replaces the tour and bumps the version; stale saves are refused).
CREATE TABLE tours (
  id          text PRIMARY KEY,
  city_id     text NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
  version     integer NOT NULL CHECK (version >= 1),
  tour        jsonb NOT NULL,
  updated_by  text REFERENCES users(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tours_city ON tours(city_id);
