/**
 * Small shared pieces of the API routes: errors with a status code (answered as `{error, message,
 * statusCode}` by the app's error handler), the error schema reference for responses, and role checks.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Role, User } from '../auth/users.ts';

/** An error the client caused (or a 503), answered with its status code and message. */
export class HttpError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** `{error, message, statusCode}`: the `cimtwinError` schema that server/app.ts adds. */
export const ErrorRef = Type.Unsafe<{ error: string; message: string; statusCode: number }>({ $ref: 'cimtwinError#' });

/** Error responses for a route's schema: each listed status answers the error shape. */
export function errors(...codes: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const c of codes) out[c] = ErrorRef;
  return out;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user (bearer token or session cookie), or null. */
    user: User | null;
  }
}

/** A preHandler that lets only the given roles through: 401 when anonymous, 403 for another role. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.user) throw new HttpError(401, 'log in first (POST /api/auth/login) and send the token as "Authorization: Bearer <token>"');
    if (!roles.includes(request.user.role)) {
      throw new HttpError(403, `the ${request.user.role} role may not do this; it needs ${roles.join(' or ')}`);
    }
  };
}

/** The roles that may change scenarios and submit jobs. */
export const WRITERS: Role[] = ['planner', 'admin'];
