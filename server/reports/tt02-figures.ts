// What the registry knows for the statistical forms of Thông tư 02/2023/TT-BNV (tt02.ts lays them
// out): the reporting unit and the body it reports to, and the year's valid certificates of the two
// award kinds the forms count — the provincial Bằng khen (form 0603) and the Prime Minister's
// (form 0602) — by collective and individual, in the caller's scope as the year-end summary counts them.
import type { Database } from '../db/database.ts';
import { scopeIncludes, unitAndEverythingUnder } from '../auth/scope.ts';
import { NotFoundError } from '../errors.ts';
import * as repository from './repository.ts';
import type { SummaryCaller, SummaryRequest } from './service.ts';

export const TT02_FORMS = ['0601', '0602', '0603', '0604', '0605'] as const;
export type Tt02Form = (typeof TT02_FORMS)[number];

/** The award kinds the forms have a column for; a Giấy khen (or a kind an administrator added) is in none. */
export const PROVINCIAL_AWARD = 'bang_khen_chu_tich_ubnd_tinh';
export const PRIME_MINISTER_AWARD = 'bang_khen_thu_tuong';

export interface RecipientCounts {
  collectives: number;
  individuals: number;
}

/** Whom the forms go to: the Ministry of Home Affairs (a province, the centre, the whole country), the unit above, or unknown. */
export type ReceivingUnit = { kind: 'ministry' } | { kind: 'unit'; name: string } | null;

export interface Tt02Figures {
  year: number;
  /** The reporting unit's name; null for the whole country. */
  unitName: string | null;
  receiving: ReceivingUnit;
  /** Bằng khen của Chủ tịch UBND tỉnh. */
  provincial: RecipientCounts;
  /** Bằng khen của Thủ tướng Chính phủ. */
  primeMinister: RecipientCounts;
}

/** The figures for a year and a unit with everything under it (merged units included), in the caller's scope; another unit is a 404. */
export async function buildTt02Figures(db: Database, caller: SummaryCaller, request: SummaryRequest): Promise<Tt02Figures> {
  const { year } = request;
  const rootId: number | null = request.unitId ?? (caller.scope.all ? null : caller.user.unitId);
  if (rootId !== null && !scopeIncludes(caller.scope, rootId)) throw new NotFoundError();
  const unit = rootId === null ? undefined : await repository.findReportingUnit(db, rootId);
  if (rootId !== null && !unit) throw new NotFoundError();
  const unitIds = rootId === null ? null : await unitAndEverythingUnder(db, rootId);
  const rows = await repository.certificatesByKind(db, year, [PROVINCIAL_AWARD, PRIME_MINISTER_AWARD], unitIds);
  const counts = (awardKind: string): RecipientCounts => ({
    collectives: rows.filter((r) => r.awardKind === awardKind && r.recipientKind === 'collective').reduce((sum, r) => sum + r.count, 0),
    individuals: rows.filter((r) => r.awardKind === awardKind && r.recipientKind === 'individual').reduce((sum, r) => sum + r.count, 0),
  });
  let receiving: ReceivingUnit = null;
  if (!unit || unit.kind === 'province' || unit.is_centre || unit.parent_is_centre) receiving = { kind: 'ministry' };
  else if (unit.parent_name) receiving = { kind: 'unit', name: unit.parent_name };
  return { year, unitName: unit?.name ?? null, receiving, provincial: counts(PROVINCIAL_AWARD), primeMinister: counts(PRIME_MINISTER_AWARD) };
}
