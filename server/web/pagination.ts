// The API's list contract: ?limit= (default 50, at most 200) and an opaque ?cursor=, answered as
// { items, nextCursor, total }.
import Joi from 'joi';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export const pageKeys = {
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200).pattern(/^[A-Za-z0-9_-]+$/),
};

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The decoded cursor, or undefined for a missing or tampered one. */
export function decodeCursor<T>(cursor: string | undefined, isValid: (value: unknown) => value is T): T | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
