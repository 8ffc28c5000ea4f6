// Registering models and exemplars, editing them, and moving them through their life with
// progress reports. Each action is one transaction with its audit row.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { recordAction } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { scopeIncludes } from '../auth/scope.ts';
import { AppError, ConflictError, NotFoundError, unknownReference, ValidationError, type FieldProblem } from '../errors.ts';
import { findUnitEnd, unitEndedDetail } from '../units/lifecycle.ts';
import * as repository from './repository.ts';
import type { Model, NewModel } from './repository.ts';
import type { ModelChanges, ModelInput, ReportInput } from './schemas.ts';
import { canMove } from './status.ts';
import { canMoveTo } from './policy.ts';
import { acceptedUpload, EVIDENCE_TYPES } from '../awards/dossier.ts';
import { enforce } from '../policy.ts';

const CODE_PREFIX = { model: 'MH', exemplar: 'DH' } as const;

/**
 * Registers a model for a unit in the caller's scope that is still in force (an ended unit answers
 * 422 unit_ended); the block defaults to the unit's or the nearest one above it, or none.
 */
export async function registerModel(db: Database, caller: Caller, input: ModelInput): Promise<Model> {
  return db.transaction().execute(async (trx) => {
    const { blockCode, replicatesModelId } = await checkReferences(trx, caller, input, { newRecord: true });
    const [code] = await reserveCodes(trx, [input]);
    const id = await repository.insertModel(trx, newModelRow({ ...input, replicatesModelId }, code!, blockCode, caller.user.id));
    const model = await repository.getModel(trx, id, caller.scope);
    await recordAction(trx, caller.actor, { action: 'model.register', entityType: 'model', entityId: model.id, after: model });
    return model;
  });
}

/** A model row to insert; the replicated model is already resolved to its id (checkReferences). */
function newModelRow(input: Omit<ModelInput, 'replicatesModelId'> & { replicatesModelId?: number | null }, code: string, blockCode: string | null, createdBy: number): NewModel {
  return {
    code,
    title: input.title,
    unit_id: input.unitId,
    year: input.year,
    field_code: input.fieldCode,
    block_code: blockCode,
    kind: input.kind,
    summary: input.summary,
    goals: input.goals ?? null,
    started_on: input.startedOn ?? null,
    participants: input.participants ?? null,
    contact: input.contact ?? null,
    replicates_model_id: input.replicatesModelId ?? null,
    created_by: createdBy,
  };
}

/**
 * Edits a model's registration details; its status moves only through progress reports. A recognised
 * model is frozen (409 model_recognized): its certificate vouches for what it was recognised as.
 */
export async function updateModel(db: Database, caller: Caller, id: number, changes: ModelChanges): Promise<Model> {
  return db.transaction().execute(async (trx) => {
    const before = await repository.lockModel(trx, id, caller.scope);
    if (before.status === 'recognized') throw new ConflictError('model_recognized', 'models.recognizedFrozen');
    const merged: ModelInput = {
      title: changes.title ?? before.title,
      unitId: changes.unitId ?? before.unit_id,
      year: changes.year ?? before.year,
      fieldCode: changes.fieldCode ?? before.field_code,
      blockCode: changes.blockCode ?? (changes.unitId !== undefined ? undefined : (before.block_code ?? undefined)),
      kind: changes.kind ?? (before.kind as ModelInput['kind']),
      summary: changes.summary ?? before.summary,
      replicatesModelId: changes.replicatesModelId === undefined ? before.replicates_model_id : changes.replicatesModelId,
    };
    // Moving a model to another unit gives that unit a record: it must be in force. Its own ended unit keeps it.
    const { blockCode, replicatesModelId } = await checkReferences(trx, caller, merged, { newRecord: merged.unitId !== before.unit_id });
    if (replicatesModelId === id) throw invalid(['replicatesModelId']);
    await repository.updateModelDetails(trx, id, {
      title: merged.title,
      unit_id: merged.unitId,
      year: merged.year,
      field_code: merged.fieldCode,
      block_code: blockCode,
      kind: merged.kind,
      summary: merged.summary,
      goals: changes.goals === undefined ? before.goals : changes.goals,
      started_on: changes.startedOn === undefined ? before.started_on : changes.startedOn,
      participants: changes.participants === undefined ? before.participants : changes.participants,
      contact: changes.contact === undefined ? before.contact : changes.contact,
      replicates_model_id: replicatesModelId,
    });
    const after = await repository.getModel(trx, id, caller.scope);
    await recordAction(trx, caller.actor, { action: 'model.update', entityType: 'model', entityId: id, before, after });
    return after;
  });
}

/**
 * Records a progress report and moves the status by the transition table; an illegal move
 * answers 409, and the row lock makes two simultaneous moves apply one after the other.
 */
export async function reportProgress(db: Database, caller: Caller, id: number, input: ReportInput) {
  return db.transaction().execute(async (trx) => {
    const model = await repository.lockModel(trx, id, caller.scope);
    const from = model.status as ReportInput['status'];
    if (!canMove(from, input.status)) {
      throw new ConflictError('illegal_transition', 'models.illegalMove', { from: { key: `modelStatus.${from}` }, to: { key: `modelStatus.${input.status}` } });
    }
    enforce(canMoveTo(caller, input.status));
    const report = await repository.insertModelReport(trx, {
      model_id: id,
      from_status: from,
      to_status: input.status,
      reported_on: input.reportedOn,
      note: input.note,
      people_reached: input.peopleReached ?? null,
      funds_vnd: input.fundsVnd ?? null,
      workdays: input.workdays ?? null,
      created_by: caller.user.id,
    });
    await repository.setModelStatus(trx, id, from, input.status);
    await recordAction(trx, caller.actor, { action: 'model.report', entityType: 'model', entityId: id, before: { status: from }, after: report });
    return report;
  });
}

/**
 * Checks the unit (in scope, and in force for a new record), field, block and replicated model (by id
 * or by code, within the caller's units); answers the block to store (the one given, else the unit's
 * or the nearest above it, else none) and the replicated model's id.
 */
async function checkReferences(trx: Transaction<DB>, caller: Caller, input: ModelInput, options: { newRecord: boolean }): Promise<{ blockCode: string | null; replicatesModelId: number | null }> {
  const bad: string[] = [];
  const unitBlock = scopeIncludes(caller.scope, input.unitId) ? await repository.unitBlock(trx, input.unitId) : undefined;
  if (unitBlock === undefined) bad.push('unitId');
  if (!(await repository.referenceExists(trx, 'fields', input.fieldCode))) bad.push('fieldCode');
  if (input.blockCode && !(await repository.referenceExists(trx, 'blocks', input.blockCode))) bad.push('blockCode');
  const replicatesModelId = await replicatedModelId(trx, caller, input.replicatesModelId ?? null);
  if (replicatesModelId === undefined) bad.push('replicatesModelId');
  const details = unknownReferences(bad);
  const ended = options.newRecord && unitBlock !== undefined ? await findUnitEnd(trx, input.unitId) : undefined;
  if (ended) details.unshift(unitEndedDetail(ended));
  if (details.length > 0) throw new ValidationError(details);
  return { blockCode: input.blockCode ?? unitBlock ?? null, replicatesModelId: replicatesModelId ?? null };
}

/** The replicated model's id from its id or its code, null for none, undefined when no model of the caller's units has it. */
async function replicatedModelId(trx: Transaction<DB>, caller: Caller, given: number | string | null): Promise<number | null | undefined> {
  if (given === null) return null;
  if (typeof given === 'string') return repository.findModelIdByCode(trx, given, caller.scope);
  return (await repository.findModel(trx, given, caller.scope)) ? given : undefined;
}

function unknownReferences(fields: string[]): FieldProblem[] {
  return fields.map((field) => unknownReference(field, field === 'unitId' ? 'field.model.unitId' : (`field.${field}` as 'field.fieldCode')));
}

function invalid(fields: string[]): AppError {
  return new ValidationError(unknownReferences(fields));
}

export interface ImportResult {
  imported: number;
  /** The same file was imported before by the caller's unit: nothing was added this time. */
  alreadyImported: boolean;
  importedAt: Date;
}

/**
 * Registers every imported row in one transaction (all or none), numbering codes in blocks; a file
 * (by its sha256) imports once per unit: sent again, even at the same moment, it adds nothing.
 */
export async function importModels(db: Database, caller: Caller, inputs: ModelInput[], source: { fileName: string; encoding: string; sha256: Buffer }): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    // Claimed first: an identical upload committing meanwhile makes this wait, then find its row.
    const claimed = await repository.claimImport(trx, { unitId: caller.user.unitId, sha256: source.sha256, fileName: source.fileName, encoding: source.encoding, imported: inputs.length, createdBy: caller.user.id });
    if (!claimed) {
      const earlier = await repository.findImport(trx, caller.user.unitId, source.sha256);
      if (!earlier) throw new ConflictError();
      return { imported: earlier.imported, alreadyImported: true, importedAt: earlier.created_at };
    }
    const codes = await reserveCodes(trx, inputs);
    // parseModelImport has given every row its block (its own or its unit's), or none.
    // The import has no column for a replicated model.
    const rows = inputs.map((input, index) => newModelRow({ ...input, replicatesModelId: null }, codes[index]!, input.blockCode ?? null, caller.user.id));
    for (let start = 0; start < rows.length; start += 500) {
      await repository.insertModels(trx, rows.slice(start, start + 500));
      // PGlite runs in this thread: without a turn of the event loop between batches, a 10,000-row
      // import would hold up every other request for seconds.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await recordAction(trx, caller.actor, { action: 'model.import', entityType: 'model', entityId: null, after: { count: rows.length, codes: [rows[0]?.code, rows[rows.length - 1]?.code], fileName: source.fileName, encoding: source.encoding, sha256: source.sha256.toString('hex') } });
    return { imported: rows.length, alreadyImported: false, importedAt: claimed.created_at };
  });
}

/** One counter update per kind and year, however many rows: codes in the order of the rows. */
async function reserveCodes(trx: Transaction<DB>, inputs: ModelInput[]): Promise<string[]> {
  const groups = new Map<string, number[]>();
  inputs.forEach((input, index) => {
    const key = `${CODE_PREFIX[input.kind]}-${input.year}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  const codes: string[] = [];
  for (const [key, indexes] of groups) {
    const [prefix, year] = key.split('-') as [string, string];
    const last = await repository.reserveCodeNumbers(trx, prefix, Number(year), indexes.length);
    indexes.forEach((rowIndex, i) => {
      codes[rowIndex] = `${key}-${String(last - indexes.length + 1 + i).padStart(6, '0')}`;
    });
  }
  return codes;
}

/** A model takes at most this many evidence files, each at most the dossier's size (10 MB). */
export const MAX_FILES_PER_MODEL = 12;

/**
 * Attaches evidence to a model of the caller's units (a photo, a report: PDF, Word, JPEG or PNG,
 * recognised by its bytes), audited on the model; a recognised model is frozen (409). The route
 * admits the model writers, as for every model write.
 */
export async function attachModelFile(db: Database, caller: Caller, id: number, upload: { fileName: string; content: Buffer }) {
  const { fileName, contentType, sha256 } = await acceptedUpload(upload, EVIDENCE_TYPES, 'models.file.type');
  return db.transaction().execute(async (trx) => {
    const model = await repository.lockModel(trx, id, caller.scope);
    if (model.status === 'recognized') throw new ConflictError('model_recognized', 'models.recognizedFrozen');
    if ((await repository.countModelFiles(trx, id)) >= MAX_FILES_PER_MODEL) throw new ConflictError('too_many_files', 'awards.file.tooMany', { count: MAX_FILES_PER_MODEL });
    const file = await repository.insertModelFile(trx, { model_id: id, file_name: fileName, content_type: contentType, size_bytes: upload.content.length, sha256, uploaded_by: caller.user.id }, upload.content);
    await recordAction(trx, caller.actor, { action: 'model.file.attach', entityType: 'model', entityId: id, after: file });
    return file;
  });
}

/** Removes a model's evidence file (not once the model is recognised). */
export async function removeModelFile(db: Database, caller: Caller, id: number, fileId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const model = await repository.lockModel(trx, id, caller.scope);
    if (model.status === 'recognized') throw new ConflictError('model_recognized', 'models.recognizedFrozen');
    const file = await repository.deleteModelFile(trx, id, fileId);
    if (!file) throw new NotFoundError();
    await recordAction(trx, caller.actor, { action: 'model.file.remove', entityType: 'model', entityId: id, before: file });
  });
}
