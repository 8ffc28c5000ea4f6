// One's own account: the settings a user keeps for themself (the address notifications are e-mailed
// to, e-mails on or off, the language) and their password. The administrator's tools are in users/.
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { Actor } from '../audit/audit.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { passwordWeakness } from '../auth/password-strength.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { ValidationError } from '../errors.ts';
import * as users from '../users/repository.ts';
import type { User } from '../users/repository.ts';
import type { OwnSettings, PasswordChange } from './schemas.ts';

/** The signed-in user, acting on their own account. */
export interface AccountHolder {
  actor: Actor & { userId: number };
}

export function holderOf(userId: number, actor: Actor): AccountHolder {
  return { actor: { ...actor, userId } };
}

/** Changes what the user keeps for themself; audited like an administrator's change. */
export async function updateOwnSettings(db: Database, holder: AccountHolder, changes: OwnSettings): Promise<User> {
  const id = holder.actor.userId;
  return db.transaction().execute(async (trx) => {
    const before = await users.lockUser(trx, id);
    const after = await users.updateUser(trx, id, {
      language: changes.language ?? before.language,
      email: changes.email === undefined ? before.email : changes.email,
      email_notifications: changes.emailNotifications ?? before.email_notifications,
    });
    await recordAction(trx, holder.actor, { action: 'account.update', entityType: 'user', entityId: id, before, after });
    return after;
  });
}

/**
 * A new password, given the current one. Every session and API token of the account ends with it
 * (as when the administrator sets one): whoever else held them must sign in with the new password.
 */
export async function changeOwnPassword(db: Database, holder: AccountHolder, change: PasswordChange): Promise<void> {
  const id = holder.actor.userId;
  if (!(await verifyPassword(change.currentPassword, await users.passwordHashOf(db, id)))) {
    throw new ValidationError([{ field: 'currentPassword', reason: 'password_wrong', key: 'validation.password.wrong' }]);
  }
  const account = await users.getUser(db, id, ALL_UNITS);
  const weakness = passwordWeakness(change.newPassword, { username: account.username, fullName: account.full_name });
  if (weakness) throw new ValidationError([{ field: 'newPassword', reason: 'password_weak', key: `validation.password.${weakness}` }]);
  if (change.newPassword === change.currentPassword) throw new ValidationError([{ field: 'newPassword', reason: 'no_change', key: 'validation.password.same' }]);
  const passwordHash = await hashPassword(change.newPassword); // slow on purpose: outside the transaction
  await db.transaction().execute(async (trx) => {
    await users.lockUser(trx, id);
    await users.updateUser(trx, id, { password_hash: passwordHash });
    await users.endSessionsAndTokens(trx, id);
    await recordAction(trx, holder.actor, { action: 'account.password', entityType: 'user', entityId: id, after: { passwordChanged: true } });
  });
}
