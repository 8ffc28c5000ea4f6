// Factories: each test makes the records it needs, with unique codes, straight in the database.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../server/auth/passwords.ts';
import { forgetUnitTrees } from '../../server/auth/scope.ts';
import { hashToken } from '../../server/auth/service.ts';
import type { Role } from '../../server/auth/user.ts';
import { db } from './context.ts';

export const TEST_PASSWORD = 'Mật-khẩu-thử-1';

let passwordHash: Promise<string> | undefined;
/** scrypt at full strength is slow on purpose; hash the shared test password once per run. */
function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex').toUpperCase();
}

export interface UnitOptions {
  name?: string;
  kind?: 'province' | 'district' | 'commune' | 'agency' | 'organisation';
  parentId?: number | null;
  successorId?: number | null;
  validFrom?: string | null;
  validTo?: string | null;
  blockCode?: string | null;
}

export async function createUnit(options: UnitOptions = {}) {
  const suffix = uniqueSuffix();
  const unit = await db()
    .insertInto('units')
    .values({
      code: `T${suffix}`,
      name: options.name ?? `Đơn vị thử ${suffix}`,
      kind: options.kind ?? 'agency',
      block_code: options.blockCode === undefined ? 'chinh_quyen' : options.blockCode,
      parent_id: options.parentId ?? null,
      successor_id: options.successorId ?? null,
      valid_from: options.validFrom ?? null,
      valid_to: options.validTo ?? null,
    })
    .returning(['id', 'code', 'name', 'kind', 'parent_id', 'successor_id'])
    .executeTakeFirstOrThrow();
  // Written past the units service, so the app's cached unit trees are cleared here as it would.
  forgetUnitTrees();
  return unit;
}

export async function createUser(options: { role: Role; unitId?: number; fullName?: string; disabled?: boolean }) {
  const unitId = options.unitId ?? (await createUnit()).id;
  const username = `u${uniqueSuffix().toLowerCase()}`;
  const user = await db()
    .insertInto('users')
    .values({
      username,
      password_hash: await testPasswordHash(),
      full_name: options.fullName ?? `Người dùng ${username}`,
      role: options.role,
      unit_id: unitId,
      disabled_at: options.disabled ? new Date() : null,
    })
    .returning(['id', 'username', 'role', 'unit_id'])
    .executeTakeFirstOrThrow();
  return { ...user, password: TEST_PASSWORD };
}

/** An API token for a user, issued without the (slow) password check. */
export async function createToken(userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db()
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: hashToken(token), expires_at: new Date(Date.now() + 3_600_000) })
    .execute();
  return token;
}

export async function createUserWithToken(options: Parameters<typeof createUser>[0]) {
  const user = await createUser(options);
  return { ...user, token: await createToken(user.id) };
}

export async function auditRows(entityType: string, entityId: string | number) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}
