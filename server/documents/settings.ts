// An issuing body's document settings: what its decision, proposal and annex say that the registry
// cannot know from its records (place, header, authority, legal bases, executors, recipients, the
// standing organ). A body that never saved its own gets defaults derived from its unit: a province's
// People's Committee ("ỦY BAN NHÂN DÂN" / "TỈNH AN GIANG", "Chủ tịch Ủy ban nhân dân tỉnh An Giang"),
// else the unit's own name under its parent's.
import { placeName } from '../certificates/rendering/sheets.ts';
import { inSentence, isLocalGovernment } from '../units/names.ts';

export interface DocumentSettings {
  /** The place before the date: "An Giang, ngày 20 tháng 12 năm 2025". */
  placeName: string;
  /** The governing body above the issuer (cơ quan chủ quản), regular capitals; '' for none. */
  superiorLine: string;
  /** The issuer's name in the header, bold capitals, one to three lines. */
  issuerLines: string[];
  /** Who signs and awards, as a sentence names it: "Chủ tịch Ủy ban nhân dân tỉnh An Giang". */
  authorityName: string;
  /** The "Căn cứ ..." paragraphs, in order, without their closing punctuation. */
  legalBases: string[];
  /** Whose proposal the decision answers: "Trưởng Ban Thi đua - Khen thưởng tỉnh". */
  proposer: string;
  /** Article 2: the reward money. */
  rewardClause: string;
  /** Article 3: who executes the decision, before the units and people of Article 1. */
  executors: string;
  /** "Nơi nhận:", one line each. */
  recipients: string[];
  /** Who writes the proposal (tờ trình): "BAN THI ĐUA - KHEN THƯỞNG". */
  standingOrgan: string;
  /** The proposal's symbol after its number: "TTr-BTĐKT". */
  proposalSymbol: string;
  /** The proposal's signer's title, as lines like a decision's ("KT. TRƯỞNG BAN - PHÓ TRƯỞNG BAN"). */
  proposalSignerTitle: string;
  /** The proposal's signer's name; '' leaves the line for the office to fill. */
  proposalSignerName: string;
  /** Who signs the body's model certificates: the title as lines ("TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH"). */
  modelSignerTitle: string;
  /** The name printed under that signature (the chairman's); '' leaves it for the hand. */
  modelSignerName: string;
}

/** The unit a body's defaults are derived from: itself, and the chain of units above it (nearest first). */
export interface BodyUnit {
  id: number;
  name: string;
  kind: 'province' | 'district' | 'commune' | 'agency' | 'organisation';
  isCentre: boolean;
  above: readonly { name: string; kind: string }[];
}

const upper = (text: string) => text.toLocaleUpperCase('vi');


export function defaultSettings(body: BodyUnit): DocumentSettings {
  const province = body.kind === 'province' ? body : body.above.find((unit) => unit.kind === 'province');
  const place = body.isCentre ? 'Hà Nội' : placeName(province?.name ?? body.name);
  const government = isLocalGovernment(body.kind) && !body.isCentre;
  const parent = body.above[0];
  const level = body.kind === 'province' ? 'tỉnh' : '';
  const legalBases = [
    ...(government ? ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025'] : []),
    'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022',
    'Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng',
    `Căn cứ kết quả họp xét của Hội đồng Thi đua - Khen thưởng${level ? ` ${level}` : ''}`,
  ];
  if (government) {
    const authorityName = `Chủ tịch Ủy ban nhân dân ${inSentence(body.name)}`;
    return {
      placeName: place,
      superiorLine: '',
      issuerLines: ['ỦY BAN NHÂN DÂN', upper(body.name)],
      authorityName,
      legalBases,
      proposer: level ? 'Trưởng Ban Thi đua - Khen thưởng tỉnh' : 'Thường trực Hội đồng Thi đua - Khen thưởng',
      rewardClause: 'Tiền thưởng thực hiện theo quy định hiện hành về thi đua, khen thưởng.',
      executors: `Chánh Văn phòng Ủy ban nhân dân ${inSentence(body.name)}${level ? ', Trưởng Ban Thi đua - Khen thưởng tỉnh' : ''}`,
      recipients: ['Như Điều 3', ...(level ? ['Chủ tịch, các Phó Chủ tịch UBND tỉnh', 'Ban Thi đua - Khen thưởng tỉnh'] : []), 'Lưu: VT, TĐKT'],
      standingOrgan: level ? 'BAN THI ĐUA - KHEN THƯỞNG' : 'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG',
      proposalSymbol: level ? 'TTr-BTĐKT' : 'TTr-HĐTĐKT',
      proposalSignerTitle: level ? 'TRƯỞNG BAN' : 'TM. HỘI ĐỒNG - CHỦ TỊCH',
      proposalSignerName: '',
      modelSignerTitle: 'TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH',
      modelSignerName: '',
    };
  }
  return {
    placeName: place,
    // The governing body's line as offices write it: "UBND TỈNH AN GIANG" fits the header's column.
    superiorLine: parent && !body.isCentre ? upper(isLocalGovernment(parent.kind) ? `UBND ${inSentence(parent.name)}` : parent.name) : '',
    issuerLines: [upper(body.name)],
    authorityName: `Thủ trưởng ${body.name}`,
    legalBases,
    proposer: 'Thường trực Hội đồng Thi đua - Khen thưởng',
    rewardClause: 'Tiền thưởng thực hiện theo quy định hiện hành về thi đua, khen thưởng.',
    executors: `Chánh Văn phòng ${body.name}`,
    recipients: ['Như Điều 3', 'Lưu: VT, TĐKT'],
    standingOrgan: 'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG',
    proposalSymbol: 'TTr-HĐTĐKT',
    proposalSignerTitle: 'TM. HỘI ĐỒNG - CHỦ TỊCH',
    proposalSignerName: '',
    modelSignerTitle: 'THỦ TRƯỞNG ĐƠN VỊ',
    modelSignerName: '',
  };
}

/** The authority line of the decision: the authority's name in capitals. */
export const authorityLine = (settings: DocumentSettings) => upper(settings.authorityName);
