// Route guards: who may call a route at all. Which records they then see is the unit scope's job.
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { Role } from './user.ts';

/** Signed in (session or bearer token), with one of the given roles (any role when none is given). */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.user) throw new UnauthenticatedError();
    if (roles.length > 0 && !roles.includes(req.user.role)) throw new ForbiddenError();
    next();
  };
}

export const requireLogin = requireRole();
