// Administrative units and agencies with their history: created and edited by administrators,
// each change audited in its own transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { recordAction } from '../audit/audit.ts';
import type { AuditedCaller } from '../auth/caller.ts';
import { forgetUnitTrees } from '../auth/scope.ts';
import { ConflictError, FieldConflictError, unknownReference, ValidationError } from '../errors.ts';
import * as repository from './repository.ts';
import type { Unit, UnitValues } from './repository.ts';
import type { UnitInput } from './schemas.ts';

/** Adds a unit; its code is unique and its parent, successor and block must exist. */
export async function createUnit(db: Database, caller: AuditedCaller, input: UnitInput): Promise<Unit> {
  const unit = await db.transaction().execute(async (trx) => {
    await checkReferences(trx, input);
    if (await repository.findUnitByCode(trx, input.code)) throw new FieldConflictError('code', 'unit_code_taken', 'error.unit_code_taken');
    const unit = await repository.insertUnit(trx, toValues(input));
    await recordAction(trx, caller.actor, { action: 'unit.create', entityType: 'unit', entityId: unit.id, after: unit });
    return unit;
  });
  forgetUnitTrees();
  return unit;
}

/** Changes a unit; its parent may not lie under it, and its successors may not lead back to it. */
export async function updateUnit(db: Database, caller: AuditedCaller, id: number, input: UnitInput): Promise<Unit> {
  const unit = await db.transaction().execute(async (trx) => {
    const before = await repository.lockUnit(trx, id);
    await checkReferences(trx, input);
    if (input.code !== before.code && (await repository.findUnitByCode(trx, input.code))) throw new FieldConflictError('code', 'unit_code_taken', 'error.unit_code_taken');
    if (input.parentId && (await repository.isSelfOrDescendant(trx, id, input.parentId))) throw new ConflictError('unit_cycle', 'error.unit_cycle');
    if (input.successorId && (await repository.successorChainReaches(trx, input.successorId, id))) throw new ConflictError('unit_cycle', 'error.unit_cycle');
    const after = await repository.updateUnit(trx, id, toValues(input));
    await recordAction(trx, caller.actor, { action: 'unit.update', entityType: 'unit', entityId: id, before, after });
    return after;
  });
  forgetUnitTrees();
  return unit;
}

function toValues(input: UnitInput): UnitValues {
  return {
    code: input.code,
    name: input.name,
    kind: input.kind,
    block_code: input.blockCode ?? null,
    parent_id: input.parentId ?? null,
    valid_from: input.validFrom ?? null,
    valid_to: input.validTo ?? null,
    successor_id: input.successorId ?? null,
  };
}

/** Unknown ids and codes are reported like any other bad field: 422 with every one listed. */
async function checkReferences(trx: Transaction<DB>, input: UnitInput): Promise<void> {
  const missing: string[] = [];
  if (input.parentId && !(await repository.unitExists(trx, input.parentId))) missing.push('parentId');
  if (input.successorId && !(await repository.unitExists(trx, input.successorId))) missing.push('successorId');
  if (input.blockCode && !(await repository.blockExists(trx, input.blockCode))) missing.push('blockCode');
  if (missing.length > 0) {
    throw new ValidationError(missing.map((field) => unknownReference(field, `field.${field}` as 'field.parentId')));
  }
}
