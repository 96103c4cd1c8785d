/**
 * The browser's client of the cim-twin server API (docs/server.md). Sessions ride on the httpOnly
 * cookie the server sets at login, so every call is a same-origin `fetch`. Errors come back as
 * {@link ApiError} carrying the server's `{error, message, statusCode}`.
 */

/** A GeoJSON device feature of a city file (layer `device`; docs/city-format.md), as scenarios hold them. */
export interface DeviceFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: number[] };
  properties: Record<string, unknown>;
}

/** A non-2xx answer of the API: `status` and the server's message. */
export class ApiError extends Error {
  readonly status: number;
  /** The body's `latestVersion` where the server sent one (409 on a stale save). */
  readonly latestVersion: number | null;
  constructor(status: number, message: string, latestVersion: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.latestVersion = latestVersion;
  }
}

/** The `message` of an error answer, or its status line when the body is not the error shape. */
export async function readErrorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: string };
    return body.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** Calls the API; JSON in and out. Throws {@link ApiError} on a non-2xx answer. */
export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ data: T; res: Response }> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= typeof body === 'string' ? 'text/plain' : 'application/json';
  }
  const res = await fetch(path, init);
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    let latestVersion: number | null = null;
    try {
      const b = (await res.json()) as { message?: string; latestVersion?: number };
      message = b.message ?? message;
      latestVersion = typeof b.latestVersion === 'number' ? b.latestVersion : null;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message, latestVersion);
  }
  const data = (res.status === 204 ? null : res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()) as T;
  return { data, res };
}

/** A user as the server describes one. */
export interface User {
  id: string;
  username: string;
  role: 'admin' | 'planner' | 'viewer';
}

/** Logs in; the session cookie is set by the answer. */
export async function login(username: string, password: string): Promise<User> {
  return (await api<{ user: User }>('POST', '/api/auth/login', { username, password })).data.user;
}

/** The logged-in user, or null when anonymous. */
export async function currentUser(): Promise<User | null> {
  try {
    return (await api<User>('GET', '/api/auth/me')).data;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await api('POST', '/api/auth/logout');
}

/** A scenario version as `GET /api/scenarios/:id` gives it. */
export interface Scenario {
  id: string;
  cityId: string;
  name: string;
  version: number;
  latestVersion: number;
  devices: DeviceFeature[];
  indicators: Record<string, unknown> | null;
  message: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A row of `GET /api/scenarios`. */
export interface ScenarioInfo {
  id: string;
  cityId: string;
  name: string;
  latestVersion: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Scenarios readable by this client, optionally of one city. */
export async function listScenarios(cityId?: string): Promise<ScenarioInfo[]> {
  return (await api<ScenarioInfo[]>('GET', `/api/scenarios${cityId ? `?cityId=${encodeURIComponent(cityId)}` : ''}`)).data;
}

/** A scenario's latest version, or the version asked for. */
export async function getScenario(id: string, version?: number): Promise<Scenario> {
  const path = version === undefined ? `/api/scenarios/${encodeURIComponent(id)}` : `/api/scenarios/${encodeURIComponent(id)}/versions/${version}`;
  return (await api<Scenario>('GET', path)).data;
}

/** Creates a scenario (planner, admin); without `devices` it starts from the city's own. */
export async function createScenario(cityId: string, name: string, devices?: DeviceFeature[], message?: string): Promise<Scenario> {
  return (await api<Scenario>('POST', '/api/scenarios', { cityId, name, devices, message })).data;
}

/**
 * Saves a new version of a scenario, naming the version it was edited from. A save that lost the race
 * rejects with an {@link ApiError} of status 409 whose `latestVersion` says what to reload.
 */
export async function saveScenario(id: string, baseVersion: number, devices: DeviceFeature[], message?: string): Promise<Scenario> {
  return (await api<Scenario>('PUT', `/api/scenarios/${encodeURIComponent(id)}`, { devices, message }, { 'if-match': `"${baseVersion}"` })).data;
}

/** A job record (`GET /api/jobs/:id`). */
export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  phase: string;
  params: Record<string, unknown>;
  cityId: string | null;
  scenarioId: string | null;
  scenarioVersion: number | null;
  error: string | null;
}

/** Submits a job (planner, admin). */
export async function submitJob(kind: string, target: { scenarioId?: string; cityId?: string; version?: number }, params: Record<string, unknown> = {}): Promise<Job> {
  return (await api<Job>('POST', '/api/jobs', { kind, ...target, params })).data;
}

/** Asks the server to cancel a job. */
export async function cancelJob(id: string): Promise<void> {
  await api('POST', `/api/jobs/${encodeURIComponent(id)}/cancel`);
}

/** A finished job's result. */
export async function jobResult<T>(id: string): Promise<T> {
  return (await api<T>('GET', `/api/jobs/${encodeURIComponent(id)}/result`)).data;
}

/**
 * Follows a job through its server-sent events until it ends; `onUpdate` sees every record. Resolves
 * with the final record (done, failed or cancelled). `signal` stops listening (it does not cancel the job).
 */
export function watchJob(id: string, onUpdate: (job: Job) => void, signal?: AbortSignal): Promise<Job> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`);
    const finish = (fn: () => void) => {
      source.close();
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(new DOMException('stopped watching the job', 'AbortError')));
    signal?.addEventListener('abort', onAbort);
    source.addEventListener('job', (event) => {
      const job = JSON.parse((event as MessageEvent<string>).data) as Job;
      onUpdate(job);
      if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') finish(() => resolve(job));
    });
    source.onerror = () => {
      // The stream ends after the final record; a drop before that: ask once for the record itself.
      void api<Job>('GET', `/api/jobs/${encodeURIComponent(id)}`).then(
        ({ data }) => {
          if (data.status === 'done' || data.status === 'failed' || data.status === 'cancelled') finish(() => resolve(data));
        },
        (e: unknown) => finish(() => reject(e)),
      );
    };
  });
}
