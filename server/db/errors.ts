// PostgreSQL error codes the services turn into answers for the user.

/** A unique constraint refused the row (23505): someone else just wrote the same thing. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string } | null;
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === undefined || pgError.constraint === constraint);
}
