/**
 * Logging in and out, who am I, and user administration (admin only).
 *
 * - `POST /api/auth/login` {username, password} → {token, expiresAt, user}; the token also comes as an
 *   httpOnly, SameSite=Strict cookie `cimtwin_session` (for the browser and EventSource). Rate-limited
 *   per client address (default 10 a minute) against password guessing.
 * - `POST /api/auth/logout`, `GET /api/auth/me`.
 * - `GET /api/users`, `POST /api/users` {username, password, role}, `PATCH /api/users/:id` {role}.
 */
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/db.ts';
import { checkLogin, createSession, createUser, deleteSession, listUsers, setRole, USERNAME_PATTERN, UserExistsError, userOfToken } from '../auth/users.ts';
import { errors, HttpError, requireRole } from './http.ts';
import { IdParams, Role, UserSchema } from './schemas.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'cimtwin_session';

export interface AuthRouteOptions {
  db: Db;
  /** Login attempts allowed per client address and minute (default 10). */
  loginRateLimit?: number;
}

/** The session token of a request: `Authorization: Bearer …`, else the session cookie. */
export function tokenOf(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : null;
  }
  const cookie = request.headers.cookie;
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/**
 * Resolves `request.user` on every request of the API (an onRequest hook). A bearer token that is
 * unknown or expired is a 401, never a silent downgrade to anonymous; a stale session cookie is
 * ignored (the browser keeps sending it after a logout elsewhere).
 */
export function installUserHook(app: FastifyInstance, db: Db): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    request.user = null;
    const header = request.headers.authorization;
    if (header !== undefined && !/^Bearer\s+\S+\s*$/i.test(header)) throw new HttpError(401, 'the Authorization header must be "Bearer <token>"');
    const token = tokenOf(request);
    if (token === null) return;
    const user = await userOfToken(db, token);
    if (!user && header !== undefined) throw new HttpError(401, 'the session token is unknown or has expired; log in again (POST /api/auth/login)');
    request.user = user;
  });
}

const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

/** See the module doc. */
export async function authRoutes(fastify: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = options;

  await app.register(async (limited) => {
    await limited.register(rateLimit, {
      max: options.loginRateLimit ?? 10,
      timeWindow: 60_000,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `too many login attempts from this address: at most ${ctx.max} a minute; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
      }),
    });
    limited.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in: a session token (also set as an httpOnly cookie)',
          body: Credentials,
          response: {
            200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), user: UserSchema }),
            ...errors(400, 401, 429),
          },
        },
      },
      async (request, reply) => {
        const user = await checkLogin(db, request.body.username, request.body.password);
        if (!user) throw new HttpError(401, 'wrong username or password');
        const s = await createSession(db, user.id);
        reply.header('set-cookie', `${SESSION_COOKIE}=${s.token}; Path=/; HttpOnly; SameSite=Strict; Expires=${s.expiresAt.toUTCString()}`);
        return { token: s.token, expiresAt: s.expiresAt.toISOString(), user };
      },
    );
  });

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null(), ...errors(401) } }, preHandler: requireRole('admin', 'planner', 'viewer') },
    async (request, reply) => {
      const token = tokenOf(request);
      if (token) await deleteSession(db, token);
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: UserSchema, ...errors(401) } }, preHandler: requireRole('admin', 'planner', 'viewer') },
    async (request) => request.user!,
  );

  app.get(
    '/api/users',
    { schema: { tags: ['users'], summary: 'All users (admin)', response: { 200: Type.Array(UserSchema), ...errors(401, 403) } }, preHandler: requireRole('admin') },
    async () => listUsers(db),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin)',
        body: Type.Object({ username: Type.String({ pattern: USERNAME_PATTERN }), password: Type.String({ minLength: 10, maxLength: 1024 }), role: Role }),
        response: { 201: UserSchema, ...errors(400, 401, 403, 409) },
      },
      preHandler: requireRole('admin'),
    },
    async (request, reply) => {
      try {
        const user = await createUser(db, request.body.username, request.body.password, request.body.role);
        return reply.code(201).send(user);
      } catch (e) {
        if (e instanceof UserExistsError) throw new HttpError(409, e.message);
        throw e;
      }
    },
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Change a user's role (admin)",
        params: IdParams,
        body: Type.Object({ role: Role }),
        response: { 200: UserSchema, ...errors(400, 401, 403, 404) },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => {
      if (!(await setRole(db, request.params.id, request.body.role))) throw new HttpError(404, `no user ${request.params.id}`);
      return (await listUsers(db)).find((u) => u.id === request.params.id)!;
    },
  );
}
