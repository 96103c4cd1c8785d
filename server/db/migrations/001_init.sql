-- cim-twin server schema, version 1. Runs unchanged on PGlite and on PostgreSQL ≥ 13.
CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  role          text NOT NULL CHECK (role IN ('admin', 'planner', 'viewer')),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Session tokens are random; only their SHA-256 is stored.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- A city: the served one ('default', file NULL) or an imported one (gzipped cim-twin city file).
CREATE TABLE cities (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  public      boolean NOT NULL DEFAULT false,
  file_gzip   bytea,
  summary     jsonb NOT NULL,
  import_report jsonb,
  created_by  text REFERENCES users(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scenarios (
  id              text PRIMARY KEY,
  city_id         text NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
  name            text NOT NULL,
  latest_version  integer NOT NULL,
  created_by      text REFERENCES users(id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenarios_city ON scenarios(city_id);

-- Every save is a new row; rows are never updated except to attach computed indicator values.
CREATE TABLE scenario_versions (
  scenario_id  text NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
  version      integer NOT NULL,
  devices      jsonb NOT NULL,
  indicators   jsonb,
  message      text,
  created_by   text REFERENCES users(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scenario_id, version)
);

CREATE TABLE jobs (
  id            text PRIMARY KEY,
  kind          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  progress      double precision NOT NULL DEFAULT 0,
  phase         text NOT NULL DEFAULT 'queued',
  params        jsonb NOT NULL,
  city_id       text REFERENCES cities(id) ON DELETE CASCADE,
  scenario_id   text REFERENCES scenarios(id) ON DELETE CASCADE,
  scenario_version integer,
  result        jsonb,
  error         text,
  created_by    text REFERENCES users(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz
);
CREATE INDEX jobs_scenario ON jobs(scenario_id, kind, status);
