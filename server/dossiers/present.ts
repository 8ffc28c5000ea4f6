// How a dossier package reads: the names of its entries (ASCII, for every unzip tool an office has),
// the summary of one nominee (trích ngang) and the round's list as Word documents, and the manifests.
// The documents are written in the language given; the package sent to the ministry is Vietnamese.
import type { Block, Run } from '../documents/docx.ts';
import { formatDate, formatDateTime, formatNumber, translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import type { DossierFile, NominationDossier } from './service.ts';
import type { Round } from '../awards/repository.ts';

export const PACKAGE_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';
export const SUMMARY_NAME = '00-tom-tat-thanh-tich.docx';
export const LIST_NAME = 'danh-sach.docx';

/** Entry names start with the kind of the file, as offices name them ("01-to-trinh-..."). */
const KIND_PREFIX: Record<string, string> = { proposal: 'to-trinh', minutes: 'bien-ban', achievement_report: 'bao-cao-thanh-tich', other: 'tai-lieu-khac' };

/** Lower-case ASCII words joined by hyphens: Vietnamese letters lose their marks (đ becomes d). */
export function asciiSlug(text: string, maxLength = 60): string {
  const folded = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return folded.slice(0, maxLength).replace(/-+$/, '');
}

/** A dossier file's entry: its place, its kind, its original name folded to ASCII, its extension kept. */
export function fileEntryName(index: number, file: Pick<DossierFile, 'kind' | 'file_name'>): string {
  const dot = file.file_name.lastIndexOf('.');
  const extension = dot > 0 ? asciiSlug(file.file_name.slice(dot + 1), 8) : '';
  const base = asciiSlug(dot > 0 ? file.file_name.slice(0, dot) : file.file_name) || 'tep';
  return `${String(index).padStart(2, '0')}-${KIND_PREFIX[file.kind] ?? 'tai-lieu'}-${base}${extension ? `.${extension}` : ''}`;
}

/** A nominee's folder in a round's package, in the annex's order. */
export function folderName(index: number, nomineeName: string): string {
  return `${String(index).padStart(3, '0')}-${asciiSlug(nomineeName, 50) || 'ho-so'}`;
}

export function nominationPackageName(dossier: NominationDossier): string {
  return `ho-so-${dossier.nomination.id}-${asciiSlug(dossier.nomination.nominee_name, 40) || 'de-nghi'}.zip`;
}

export function roundPackageName(round: Round): string {
  return `ho-so-dot-${round.id}-${asciiSlug(round.title, 40) || 'khen-thuong'}.zip`;
}

/** One file as a manifest lists it; `path` is relative to the manifest's folder. */
export interface ManifestFile {
  path: string;
  originalName: string;
  kind: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Made by the registry (the summary, the list), not uploaded. */
  generated: boolean;
}

/** What a nomination's manifest says of it (language-neutral: codes, ids, names as stored). */
export function nominationManifest(dossier: NominationDossier, files: readonly ManifestFile[], generatedAt: Date) {
  return {
    packageVersion: PACKAGE_VERSION,
    generatedAt: generatedAt.toISOString(),
    nomination: nominationFacts(dossier),
    files,
  };
}

export function nominationFacts({ nomination: n, round, forwardingBody, models }: NominationDossier) {
  return {
    id: n.id,
    status: n.status,
    nomineeKind: n.nominee_kind,
    nomineeName: n.nominee_name,
    position: n.position,
    gender: n.gender,
    birthYear: n.birth_year,
    unitId: n.unit_id,
    unitName: n.unit_name,
    round: { id: round.id, title: round.title, year: round.year, awardKind: round.award_kind, awardKindName: round.award_kind_name },
    issuingBody: { id: round.issuing_unit_id, name: round.issuing_unit_name },
    forwardingBody,
    forwardedFromId: n.forwarded_from_id,
    forwardedAt: n.forwarded_at?.toISOString() ?? null,
    lowerTally: n.forwarded_from_id !== null && n.lower_eligible_voters !== null ? { approvals: n.lower_approvals, rejections: n.lower_rejections, eligibleVoters: n.lower_eligible_voters } : null,
    tally: n.decided_at ? { approvals: n.approvals, rejections: n.rejections, eligibleVoters: n.eligible_voters } : null,
    decisionNumber: n.decision_number,
    models: models.map((m) => ({ id: m.id, code: m.code, title: m.title, year: m.year })),
  };
}

export function roundManifest(round: Round, nominations: readonly { folder: string; facts: ReturnType<typeof nominationFacts>; files: readonly ManifestFile[] }[], files: readonly ManifestFile[], generatedAt: Date) {
  return {
    packageVersion: PACKAGE_VERSION,
    generatedAt: generatedAt.toISOString(),
    round: {
      id: round.id, title: round.title, year: round.year, status: round.status, awardKind: round.award_kind, awardKindName: round.award_kind_name,
      issuingBody: { id: round.issuing_unit_id, name: round.issuing_unit_name },
    },
    files,
    nominations: nominations.map((entry, index) => ({ order: index + 1, folder: entry.folder, ...entry.facts, files: entry.files })),
  };
}

// ----- The Word documents.

const t = (language: Language, key: MessageKey, params?: Record<string, unknown>) => translate(language, key, params);

function label(language: Language, key: string): string {
  return translate(language, key as MessageKey);
}

function generatedLine(language: Language, now: Date): Block {
  return { type: 'paragraph', runs: { text: t(language, 'dossiers.generated', { time: formatDateTime(now) }), italic: true }, align: 'right', size: 11 };
}

/** The nominee's summary (trích ngang): who, what was achieved, on which models, and what the committees found. */
export function summaryDocument({ nomination: n, round, models, forwardingBody }: NominationDossier, language: Language, now: Date): Block[] {
  const individual = n.nominee_kind === 'individual';
  const facts: [string, string][] = [
    [t(language, individual ? 'dossiers.summary.name.individual' : 'dossiers.summary.name.collective'), n.nominee_name],
    [t(language, 'dossiers.summary.kind'), label(language, `nomineeKind.${n.nominee_kind}`)],
    ...(individual
      ? ([
          [t(language, 'dossiers.summary.position'), n.position ?? ''],
          [t(language, 'dossiers.summary.gender'), n.gender ? label(language, `gender.${n.gender}`) : ''],
          [t(language, 'dossiers.summary.birthYear'), n.birth_year === null ? '' : String(n.birth_year)],
        ] as [string, string][])
      : []),
    [t(language, 'dossiers.summary.unit'), n.unit_name],
    [t(language, 'dossiers.summary.status'), label(language, `nominationStatus.${n.status}`)],
  ];
  const review: Block[] = [];
  if (forwardingBody) {
    review.push({ type: 'paragraph', runs: t(language, 'dossiers.summary.forwarded', { body: forwardingBody.name, date: formatDate(n.forwarded_at) }) });
    if (n.lower_eligible_voters !== null) {
      review.push({
        type: 'paragraph',
        runs: t(language, 'dossiers.summary.lowerTally', { body: forwardingBody.name, approvals: formatNumber(n.lower_approvals ?? 0), rejections: formatNumber(n.lower_rejections ?? 0), eligible: formatNumber(n.lower_eligible_voters) }),
      });
    }
  }
  if (n.decided_at && n.eligible_voters !== null) {
    review.push({
      type: 'paragraph',
      runs: t(language, 'dossiers.summary.tally', { body: round.issuing_unit_name, approvals: formatNumber(n.approvals ?? 0), rejections: formatNumber(n.rejections ?? 0), eligible: formatNumber(n.eligible_voters) }),
    });
  } else if (!forwardingBody) {
    review.push({ type: 'paragraph', runs: t(language, 'dossiers.summary.notReviewed') });
  }
  if (n.decision_number) review.push({ type: 'paragraph', runs: t(language, 'dossiers.summary.decision', { number: n.decision_number }) });

  return [
    { type: 'paragraph', runs: round.issuing_unit_name.toLocaleUpperCase('vi'), bold: true, align: 'center', spaceAfter: 240 },
    { type: 'heading', text: t(language, 'dossiers.summary.title'), align: 'center', size: 14 },
    { type: 'paragraph', runs: { text: t(language, 'dossiers.summary.subtitle'), italic: true }, align: 'center', spaceAfter: 240 },
    { type: 'paragraph', runs: t(language, 'dossiers.summary.round', { title: round.title }) },
    { type: 'paragraph', runs: t(language, 'dossiers.summary.award', { name: language === 'en' ? round.award_kind_name_en : round.award_kind_name }) },
    { type: 'paragraph', runs: t(language, 'dossiers.summary.issuer', { name: round.issuing_unit_name }), spaceAfter: 240 },
    { type: 'heading', text: t(language, 'dossiers.summary.nominee', { kind: label(language, `nomineeKind.${n.nominee_kind}`).toLocaleUpperCase('vi') }) },
    { type: 'table', columns: [{ header: t(language, 'dossiers.summary.item'), widthMm: 50 }, { header: t(language, 'dossiers.summary.value'), widthMm: 115 }], rows: facts.map(([k, v]) => [{ text: k, bold: true }, v]) },
    { type: 'heading', text: t(language, 'dossiers.summary.achievement') },
    ...n.achievement.split(/\n{2,}|\r\n\r\n/).map((text): Block => ({ type: 'paragraph', runs: text, align: 'both', firstLineIndent: true })),
    { type: 'heading', text: t(language, 'dossiers.summary.models') },
    models.length === 0
      ? { type: 'paragraph', runs: t(language, 'dossiers.summary.noModels') }
      : {
          type: 'table',
          columns: [
            { header: t(language, 'dossiers.summary.modelCode'), widthMm: 32 }, { header: t(language, 'dossiers.summary.modelTitle'), widthMm: 75 },
            { header: t(language, 'dossiers.summary.modelYear'), widthMm: 15, align: 'center' }, { header: t(language, 'dossiers.summary.modelUnit'), widthMm: 43 },
          ],
          rows: models.map((m) => [m.code, m.title, String(m.year), m.unit_name]),
        },
    { type: 'heading', text: t(language, 'dossiers.summary.review') },
    ...review,
    generatedLine(language, now),
  ];
}

const SUMMARY_LENGTH = 400;

function shortened(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_LENGTH ? flat : `${flat.slice(0, SUMMARY_LENGTH - 1).replace(/\s+\S*$/, '')}…`;
}

/** The round's list of nominees, collectives then individuals, numbered as a decision's annex. */
export function listDocument(round: Round, dossiers: readonly NominationDossier[], language: Language, now: Date): Block[] {
  const columns = [
    { header: t(language, 'dossiers.list.number'), widthMm: 12, align: 'center' as const }, { header: t(language, 'dossiers.list.name'), widthMm: 48 },
    { header: t(language, 'dossiers.list.positionUnit'), widthMm: 45 }, { header: t(language, 'dossiers.list.achievement'), widthMm: 90 },
    { header: t(language, 'dossiers.list.status'), widthMm: 30 },
  ];
  let number = 0;
  const rows = (kind: string): Run[][] => dossiers.filter((d) => d.nomination.nominee_kind === kind).map(({ nomination: n }) => [
    formatNumber(++number),
    { text: n.nominee_name, bold: true },
    [n.position, n.unit_name].filter(Boolean).join(', '),
    shortened(n.achievement),
    label(language, `nominationStatus.${n.status}`),
  ]);
  const collectives = rows('collective');
  const individuals = rows('individual');
  const body: Block[] = [];
  if (collectives.length > 0) body.push({ type: 'heading', text: t(language, 'dossiers.list.collectives') }, { type: 'table', columns, rows: collectives });
  if (individuals.length > 0) body.push({ type: 'heading', text: t(language, 'dossiers.list.individuals') }, { type: 'table', columns, rows: individuals });
  if (dossiers.length === 0) body.push({ type: 'paragraph', runs: t(language, 'dossiers.list.empty') });
  return [
    { type: 'paragraph', runs: round.issuing_unit_name.toLocaleUpperCase('vi'), bold: true, align: 'center', spaceAfter: 240 },
    { type: 'heading', text: t(language, 'dossiers.list.title'), align: 'center', size: 14 },
    { type: 'paragraph', runs: { text: `(${round.title})`, italic: true }, align: 'center' },
    { type: 'paragraph', runs: t(language, 'dossiers.list.count', { collectives: formatNumber(collectives.length), individuals: formatNumber(individuals.length) }), align: 'center', spaceAfter: 240 },
    ...body,
    generatedLine(language, now),
  ];
}
