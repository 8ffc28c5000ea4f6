// The API's list contract: ?limit= (default 50, at most 200) and an opaque ?cursor=, answered as
// { items, nextCursor, total }.
import Joi from 'joi';
import { BadRequestError } from '../errors.ts';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** The largest id or offset a cursor may carry: ids are PostgreSQL integers. */
const MAX_CURSOR_NUMBER = 2_147_483_647;

/**
 * A cursor we could have made: base64url of JSON whose numbers are whole, 0 to 2^31-1, and whose
 * strings are short. A tampered one (1e308, 2147483648, -1, abc) is refused here with 422 instead
 * of reaching SQL as an out-of-range OFFSET or id.
 */
function isPlausibleCursorValue(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= MAX_CURSOR_NUMBER;
  if (typeof value === 'string') return value.length <= 100;
  if (depth > 1 || value === null || typeof value !== 'object') return false;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.length <= 4 && items.every((item) => isPlausibleCursorValue(item, depth + 1));
}

export const pageKeys = {
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200).custom((value: string, helpers) => (/^[A-Za-z0-9_-]+$/.test(value) && isPlausibleCursorValue(parseCursor(value)) ? value : helpers.error('cursor.invalid'))),
};

function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The decoded cursor, undefined for a missing one; one of another list or tampered answers 400 (invalid_cursor). */
export function decodeCursor<T>(cursor: string | undefined, isValid: (value: unknown) => value is T): T | undefined {
  if (!cursor) return undefined;
  const value = parseCursor(cursor);
  if (!isValid(value) || !isPlausibleCursorValue(value)) throw new BadRequestError('invalid_cursor', 'error.invalid_cursor');
  return value;
}
