// User accounts: created and changed by administrators, passwords hashed, every change audited.
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { AuditedCaller } from '../auth/caller.ts';
import { hashPassword } from '../auth/passwords.ts';
import { passwordWeakness } from '../auth/password-strength.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { FieldConflictError, unknownReference, ValidationError } from '../errors.ts';
import { unitExists } from '../units/repository.ts';
import * as repository from './repository.ts';
import type { User } from './repository.ts';
import type { NewUserInput, UserChanges } from './schemas.ts';

/** Creates an account; the username is unique and the unit must exist. */
export async function createUser(db: Database, caller: AuditedCaller, input: NewUserInput): Promise<User> {
  refuseWeakPassword(input.password, { username: input.username, fullName: input.fullName });
  const passwordHash = await hashPassword(input.password); // slow on purpose: outside the transaction
  return db.transaction().execute(async (trx) => {
    if (!(await unitExists(trx, input.unitId))) throw unknownUnit();
    if (await repository.usernameTaken(trx, input.username)) throw new FieldConflictError('username', 'username_taken', 'error.username_taken');
    const user = await repository.insertUser(trx, { username: input.username, password_hash: passwordHash, full_name: input.fullName, role: input.role, unit_id: input.unitId, language: input.language ?? 'vi', email: input.email ?? null });
    await recordAction(trx, caller.actor, { action: 'user.create', entityType: 'user', entityId: user.id, after: user });
    return user;
  });
}

/** Changes an account; disabling it ends its sessions and tokens on their next request. */
export async function updateUser(db: Database, caller: AuditedCaller, id: number, changes: UserChanges): Promise<User> {
  if (changes.password) {
    const current = await repository.getUser(db, id, ALL_UNITS);
    refuseWeakPassword(changes.password, { username: current.username, fullName: changes.fullName ?? current.full_name });
  }
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  return db.transaction().execute(async (trx) => {
    const before = await repository.lockUser(trx, id);
    if (changes.unitId !== undefined && !(await unitExists(trx, changes.unitId))) throw unknownUnit();
    const disabledAt = changes.disabled === undefined ? before.disabled_at : changes.disabled ? (before.disabled_at ?? new Date()) : null;
    const after = await repository.updateUser(trx, id, {
      full_name: changes.fullName ?? before.full_name,
      role: changes.role ?? before.role,
      unit_id: changes.unitId ?? before.unit_id,
      language: changes.language ?? before.language,
      email: changes.email === undefined ? before.email : changes.email,
      disabled_at: disabledAt,
      ...(passwordHash ? { password_hash: passwordHash } : {}),
    });
    // A new password or a disabled account ends every session and API token of the old one.
    if (passwordHash || (disabledAt && !before.disabled_at)) await repository.endSessionsAndTokens(trx, id);
    await recordAction(trx, caller.actor, { action: 'user.update', entityType: 'user', entityId: id, before, after: { ...after, passwordChanged: Boolean(passwordHash) } });
    return after;
  });
}

/** A password holding the username or the full name, or easy to guess, is refused (422 on `password`). */
function refuseWeakPassword(password: string, account: { username: string; fullName: string }): void {
  const weakness = passwordWeakness(password, account);
  if (weakness) throw new ValidationError([{ field: 'password', reason: 'password_weak', key: `validation.password.${weakness}` }]);
}

function unknownUnit(): ValidationError {
  return new ValidationError([unknownReference('unitId', 'field.unitId')]);
}

export function userJson(user: User) {
  return {
    id: user.id,
    username: user.username,
    fullName: user.full_name,
    role: user.role,
    unitId: user.unit_id,
    language: user.language,
    email: user.email,
    emailNotifications: user.email_notifications,
    disabled: user.disabled_at !== null,
    createdAt: user.created_at.toISOString(),
  };
}
