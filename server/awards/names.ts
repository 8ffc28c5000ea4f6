// Vietnamese names: the key that makes two spellings of one nominee equal, and the order in which
// an annex lists people (by given name, the last word, then the rest), as a Vietnamese reader expects.
import { foldName } from '../web/names.ts';

/**
 * NFC, case-folded, inner spaces collapsed, hidden characters, look-alike letters and stacked marks
 * folded out (web/names.ts): "NGUYỄN  Văn An", "nguyễn văn an" (NFD) and "Lê Thị Ánh Tuy\u00ADết" with "Lê Thị Ánh Tuyết".
 */
export function nomineeKey(name: string): string {
  return foldName(name);
}

// Accents (tones and letters like ă, â, đ) count, case does not: 'Anh' sorts before 'Ánh' whatever the family name.
const collator = new Intl.Collator('vi', { sensitivity: 'accent', numeric: true });
const exact = new Intl.Collator('vi', { numeric: true });

/** Compares personal names by given name, then family and middle names. */
export function compareVietnameseNames(a: string, b: string): number {
  const [givenA, restA] = splitGivenName(a);
  const [givenB, restB] = splitGivenName(b);
  return collator.compare(givenA, givenB) || collator.compare(restA, restB) || exact.compare(a, b);
}

/** Compares collective names as written. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b) || exact.compare(a, b);
}

function splitGivenName(name: string): [string, string] {
  const words = name.trim().split(/\s+/);
  const given = words.pop() ?? '';
  return [given, words.join(' ')];
}

/** Letters without case or diacritics (đ as d), words separated by single spaces: "Sở Y tế" -> "so y te". */
function bareWords(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLocaleLowerCase('vi').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Whether a position already names the unit ("Phó Giám đốc Sở Y tế" in "Sở Y tế"), ignoring case and
 * diacritics: the certificate prints "position, unit", so the unit would be printed twice.
 */
export function positionRepeatsUnit(position: string | null | undefined, unitName: string): boolean {
  const unit = bareWords(unitName);
  if (!position || unit === '') return false;
  return ` ${bareWords(position)} `.includes(` ${unit} `);
}
