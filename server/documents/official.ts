// The committee's official documents as one model, in the form of Decree 30/2020/NĐ-CP Appendix I:
// the two-column header (issuer, number; national title, place and date), the kind and title, the
// authority, the legal bases, the articles, "Nơi nhận" and the signer block, then the annex of
// collectives and individuals. docx-writer.ts writes the model as a Word file and
// views/documents/official.hbs as the page printed to PDF, so both say the same words.
// Documents are in Vietnamese whatever the interface's language: they are what the office signs.
import { dateInWords, signerLines } from '../certificates/rendering/sheets.ts';
import { formatDate } from '../web/i18n/index.ts';
import { authorityLine, type DocumentSettings } from './settings.ts';

export interface Paragraph {
  /** A bold lead ("Điều 1."), written before the text. */
  label?: string;
  text: string;
  italic?: boolean;
}

export interface AnnexSection {
  title: string;
  rows: { index: string; name: string; detail: string }[];
}

export interface OfficialDocument {
  /** The document's title in the file's properties. */
  fileTitle: string;
  header: { superiorLines: string[]; issuerLines: string[]; numberLine: string; placeDate: string };
  kind: string;
  title: string;
  /** The decision's authority line (bold capitals), or undefined. */
  authority?: string;
  /** The proposal's "Kính gửi: ...", or undefined. */
  addressee?: string;
  preamble: Paragraph[];
  /** "QUYẾT ĐỊNH:" between the bases and the articles, for a decision. */
  decides?: string;
  body: Paragraph[];
  recipients: string[];
  signer: { titleLines: string[]; name: string };
  annex: { heading: string[]; subtitle: string; nameHeader: string; sections: AnnexSection[] };
}

/** A recipient of the annex: a collective or an individual, with position and unit. */
export interface Listed {
  kind: 'collective' | 'individual';
  name: string;
  position: string | null;
  unitName: string;
}

const ROMAN = ['I', 'II'];

/** "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" as "KT. CHỦ TỊCH" and "PHÓ CHỦ TỊCH": a slash typed between the parts is a line break too. */
export function titleLines(title: string): string[] {
  return signerLines(title.replace(/\s*\/\s*/g, '\n'));
}

export interface Counts {
  collectives: number;
  individuals: number;
}

export const countsOf = (listed: readonly Listed[]): Counts => ({ collectives: listed.filter((l) => l.kind === 'collective').length, individuals: listed.filter((l) => l.kind === 'individual').length });

/** "2 tập thể và 3 cá nhân", "3 cá nhân": no kind named with a zero. */
export function recipientCount({ collectives, individuals }: Counts): string {
  return [collectives > 0 ? `${collectives} tập thể` : '', individuals > 0 ? `${individuals} cá nhân` : ''].filter(Boolean).join(' và ');
}

/** Strips a line's own closing ";" or "." so the document puts its own. */
const bare = (line: string) => line.trim().replace(/[;.,\s]+$/u, '');

/** The bases, each ending ";", the last one ".". */
function bases(lines: readonly string[], italic: boolean): Paragraph[] {
  return lines.map((line, index) => ({ text: `${bare(line)}${index === lines.length - 1 ? '.' : ';'}`, italic }));
}

/** The name column's header: "Họ và tên / Tên tập thể" over both kinds, else the one kind's. */
function nameHeader(listed: readonly Listed[]): string {
  const kinds = new Set(listed.map((l) => l.kind));
  return kinds.size === 2 ? 'Họ và tên / Tên tập thể' : kinds.has('collective') ? 'Tên tập thể' : 'Họ và tên';
}

/** Collectives first, then individuals, each numbered from 1, in the order given (the annex order). */
function annexSections(listed: readonly Listed[]): AnnexSection[] {
  const sections: AnnexSection[] = [];
  const collectives = listed.filter((l) => l.kind === 'collective');
  const individuals = listed.filter((l) => l.kind === 'individual');
  if (collectives.length > 0) sections.push({ title: 'TẬP THỂ', rows: collectives.map((c, i) => ({ index: String(i + 1), name: c.name, detail: c.unitName })) });
  if (individuals.length > 0) {
    sections.push({
      title: 'CÁ NHÂN',
      rows: individuals.map((p, i) => ({ index: String(i + 1), name: p.name, detail: [p.position, p.unitName].filter(Boolean).join(', ') })),
    });
  }
  return sections.map((section, i) => ({ ...section, title: `${ROMAN[i]}. ${section.title}` }));
}

function header(settings: DocumentSettings, numberLine: string, isoDate: string | null) {
  return {
    superiorLines: settings.superiorLine ? [settings.superiorLine] : [],
    issuerLines: settings.issuerLines,
    numberLine,
    placeDate: `${settings.placeName}, ${isoDate ? dateInWords(isoDate) : 'ngày      tháng      năm'}`,
  };
}

export interface DecisionFacts {
  numberText: string;
  signedOn: string;
  signerName: string;
  signerTitle: string;
  awardName: string;
  year: number;
}

/**
 * The decision (Quyết định cá biệt) awarding `counts` collectives and individuals, with the annex of
 * those listed: all of them, or for a reader who may see only some, an extract (trích danh sách).
 */
export function decisionDocument(settings: DocumentSettings, decision: DecisionFacts, listed: readonly Listed[], counts: Counts = countsOf(listed)): OfficialDocument {
  const count = recipientCount(counts);
  const extract = listed.length < counts.collectives + counts.individuals;
  return {
    fileTitle: `Quyết định số ${decision.numberText}`,
    header: header(settings, `Số: ${decision.numberText}`, decision.signedOn),
    kind: 'QUYẾT ĐỊNH',
    title: `Về việc tặng ${decision.awardName}`,
    authority: authorityLine(settings),
    preamble: bases([...settings.legalBases, `Xét đề nghị của ${bare(settings.proposer)}`], true),
    decides: 'QUYẾT ĐỊNH:',
    body: [
      { label: 'Điều 1.', text: `Tặng ${decision.awardName} cho ${count} (có danh sách kèm theo), đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm ${decision.year}.` },
      { label: 'Điều 2.', text: settings.rewardClause.trim() },
      {
        label: 'Điều 3.',
        text: `Quyết định này có hiệu lực kể từ ngày ký. ${bare(settings.executors)}, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.`,
      },
    ],
    recipients: settings.recipients.map((line, index) => `- ${bare(line)}${index === settings.recipients.length - 1 ? '.' : ';'}`),
    signer: { titleLines: titleLines(decision.signerTitle), name: decision.signerName },
    annex: {
      heading: [extract ? 'TRÍCH DANH SÁCH' : 'DANH SÁCH', `TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG ${decision.awardName.toLocaleUpperCase('vi')}`],
      subtitle: `(Kèm theo Quyết định số ${decision.numberText} ngày ${formatDate(decision.signedOn)} của ${settings.authorityName})`,
      nameHeader: nameHeader(listed),
      sections: annexSections(listed),
    },
  };
}

export interface ProposalFacts {
  roundTitle: string;
  awardName: string;
  year: number;
  /** The day the committee closed the round (its meeting), YYYY-MM-DD. */
  closedOn: string | null;
  members: number;
  ruleText: string;
  considered: number;
  approved: number;
  rejected: number;
  /** The upper body's authority, for the nominations a lower body sent up; else the body's own. */
  addresseeName: string;
}

/** The proposal (tờ trình) of the standing organ to the authority, over the approved nominations. */
export function proposalDocument(settings: DocumentSettings, facts: ProposalFacts, listed: readonly Listed[]): OfficialDocument {
  const count = recipientCount(countsOf(listed));
  const meeting = facts.closedOn ? `Ngày ${formatDate(facts.closedOn)}, Hội đồng` : 'Hội đồng';
  const result = [
    `${meeting} Thi đua - Khen thưởng đã họp xét hồ sơ đề nghị khen thưởng của đợt "${facts.roundTitle}".`,
    `Hội đồng có ${facts.members} thành viên; nguyên tắc biểu quyết: ${bare(facts.ruleText)}.`,
    `Tổng số hồ sơ được xét: ${facts.considered}; số hồ sơ đạt: ${facts.approved}${facts.rejected > 0 ? `; số hồ sơ không đạt: ${facts.rejected}` : ''}.`,
  ].join(' ');
  return {
    fileTitle: `Tờ trình — ${facts.roundTitle}`,
    header: {
      ...header(settings, `Số:        /${settings.proposalSymbol}`, facts.closedOn),
      superiorLines: settings.issuerLines,
      issuerLines: [settings.standingOrgan],
    },
    kind: 'TỜ TRÌNH',
    title: `Về việc đề nghị tặng ${facts.awardName}`,
    addressee: `Kính gửi: ${facts.addresseeName}`,
    preamble: bases(settings.legalBases, false),
    body: [
      { text: result },
      { text: `Đề nghị ${facts.addresseeName} xem xét, quyết định tặng ${facts.awardName} cho ${count} (có danh sách kèm theo), đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm ${facts.year}.` },
      { text: `Kính trình ${facts.addresseeName} xem xét, quyết định./.` },
    ],
    recipients: ['- Như trên;', '- Lưu: VT, TĐKT.'],
    signer: { titleLines: titleLines(settings.proposalSignerTitle), name: settings.proposalSignerName },
    annex: {
      heading: ['DANH SÁCH', `TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ TẶNG ${facts.awardName.toLocaleUpperCase('vi')}`],
      subtitle: `(Kèm theo Tờ trình số        /${settings.proposalSymbol})`,
      nameHeader: nameHeader(listed),
      sections: annexSections(listed),
    },
  };
}
