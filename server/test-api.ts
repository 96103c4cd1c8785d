/** Helpers shared by the API tests (`app.inject`): the error shape, polling, and logged-in roles. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export type TestRole = 'admin' | 'planner' | 'viewer';

/** The response is the stable JSON error `{error, message, statusCode}` with this status, and no stack frames. */
export function expectError(res: LightMyRequestResponse, statusCode: number, message?: RegExp) {
  expect(res.statusCode, res.body).toBe(statusCode);
  const body = res.json();
  expect(body).toEqual({ error: expect.any(String), message: expect.any(String), statusCode });
  expect(res.body).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/); // no stack frames
  if (message) expect(body.message).toMatch(message);
}

/** Calls `fn` every 100 ms until `ok` accepts its value; throws with the last value after `timeoutMs`. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Logs in the first admin (ADMIN_PASSWORD), creates `planner1` and `viewer1`, and returns the three tokens. */
export async function loginRoles(app: FastifyInstance): Promise<Record<TestRole, string>> {
  const login = async (username: string, password: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().token as string;
  };
  const admin = await login('admin', ADMIN_PASSWORD);
  const token: Record<TestRole, string> = { admin, planner: '', viewer: '' };
  for (const role of ['planner', 'viewer'] as const) {
    const r = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${admin}` }, payload: { username: `${role}1`, password: `${role}-password-1`, role } });
    expect(r.statusCode, r.body).toBe(201);
    token[role] = await login(`${role}1`, `${role}-password-1`);
  }
  return token;
}
