// Recognises Vietnamese text typed in the legacy TCVN3 (ABC, .VnTime fonts) and VNI (VNI-Times
// fonts) encodings, as found in old Excel files, and converts it to Unicode NFC.
// TCVN3 gives each accented letter one Latin-1 code; VNI writes a base letter followed by a mark.

export type TextEncoding = 'unicode' | 'tcvn3' | 'vni';

const TONES = { sac: '\u0301', huyen: '\u0300', hoi: '\u0309', nga: '\u0303', nang: '\u0323' } as const;
const CIRCUMFLEX = '\u0302';
const BREVE = '\u0306';
const HORN = '\u031B';

// TCVN3 lower-case letters in the order: a à á ả ã ạ / ă ... / â ... / e ... / ê ... / i ... / o ... / ô ... / ơ ... / u ... / ư ... / y ...
// Each row: [unicode base with its modifier, codes for: no tone, huyền, sắc, hỏi, ngã, nặng] ('' where the plain letter is ASCII).
const TCVN3_ROWS: [string, string][] = [
  ['a', ' µ¸¶·¹'],
  ['a' + BREVE, '¨»¾¼½Æ'],
  ['a' + CIRCUMFLEX, '©ÇÊÈÉË'],
  ['e', ' ÌÐÎÏÑ'],
  ['e' + CIRCUMFLEX, 'ªÒÕÓÔÖ'],
  ['i', ' ×ÝØÜÞ'],
  ['o', ' ßãáâä'],
  ['o' + CIRCUMFLEX, '«åèæçé'],
  ['o' + HORN, '¬êíëìî'],
  ['u', ' ïóñòô'],
  ['u' + HORN, '\u00ADõøö÷ù'],
  ['y', ' úýûüþ'],
];
const TONE_ORDER = ['', TONES.huyen, TONES.sac, TONES.hoi, TONES.nga, TONES.nang];

const TCVN3_TO_UNICODE = new Map<string, string>([
  ['®', 'đ'], ['§', 'Đ'], ['¡', 'Ă'], ['¢', 'Â'], ['£', 'Ê'], ['¤', 'Ô'], ['¥', 'Ơ'], ['¦', 'Ư'],
]);
for (const [base, codes] of TCVN3_ROWS) {
  [...codes].forEach((code, tone) => {
    if (code !== ' ') TCVN3_TO_UNICODE.set(code, (base + TONE_ORDER[tone]).normalize('NFC'));
  });
}

// VNI: marks after a base vowel (lower-case marks; upper-case text uses the upper-case forms).
const VNI_TONE_MARKS: Record<string, string> = { 'ù': TONES.sac, 'ø': TONES.huyen, 'û': TONES.hoi, 'õ': TONES.nga, 'ï': TONES.nang };
const VNI_CIRCUMFLEX_MARKS: Record<string, string> = { 'â': '', 'á': TONES.sac, 'à': TONES.huyen, 'å': TONES.hoi, 'ã': TONES.nga, 'ä': TONES.nang };
const VNI_BREVE_MARKS: Record<string, string> = { 'ê': '', 'é': TONES.sac, 'è': TONES.huyen, 'ú': TONES.hoi, 'ü': TONES.nga, 'ë': TONES.nang };
const VNI_SINGLES: Record<string, string> = {
  'ñ': 'đ', 'ô': 'o' + HORN, 'ö': 'u' + HORN,
  'í': 'i' + TONES.sac, 'ì': 'i' + TONES.huyen, 'æ': 'i' + TONES.hoi, 'ó': 'i' + TONES.nga, 'ò': 'i' + TONES.nang, 'î': 'y' + TONES.nang,
};

const VNI_TO_UNICODE = new Map<string, string>();
function addVni(sequence: string, unicode: string): void {
  for (const upperBase of [false, true]) {
    for (const upperMark of [false, true]) {
      const [first, ...rest] = [...sequence];
      const base = upperBase ? first!.toUpperCase() : first!;
      const marks = rest.map((mark) => (upperMark ? mark.toUpperCase() : mark)).join('');
      const value = upperBase ? unicode.toUpperCase() : unicode;
      VNI_TO_UNICODE.set(base + marks, value.normalize('NFC'));
    }
  }
}
for (const vowel of ['a', 'e', 'o', 'u', 'y']) {
  for (const [mark, tone] of Object.entries(VNI_TONE_MARKS)) addVni(vowel + mark, vowel + tone);
}
for (const vowel of ['a', 'e', 'o']) {
  for (const [mark, tone] of Object.entries(VNI_CIRCUMFLEX_MARKS)) addVni(vowel + mark, vowel + CIRCUMFLEX + tone);
}
for (const [mark, tone] of Object.entries(VNI_BREVE_MARKS)) addVni('a' + mark, 'a' + BREVE + tone);
for (const [code, unicode] of Object.entries(VNI_SINGLES)) addVni(code, unicode);
for (const horned of ['ô', 'ö']) {
  for (const [mark, tone] of Object.entries(VNI_TONE_MARKS)) addVni(horned + mark, VNI_SINGLES[horned]! + tone);
}

export function decodeTcvn3(text: string): string {
  return [...text].map((char) => TCVN3_TO_UNICODE.get(char) ?? char).join('').normalize('NFC');
}

export function decodeVni(text: string): string {
  let result = '';
  for (let i = 0; i < text.length; ) {
    const pair = VNI_TO_UNICODE.get(text.slice(i, i + 2));
    if (pair) {
      result += pair;
      i += 2;
      continue;
    }
    const single = /[ñÑôÔöÖíÍìÌæÆóÓòÒîÎ]/.test(text[i]!) ? VNI_TO_UNICODE.get(text[i]!) : undefined;
    result += single ?? text[i];
    i += 1;
  }
  return result.normalize('NFC');
}

/** Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the precomposed tone letters). */
const UNICODE_VIETNAMESE = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01A0\u01A1\u01AF\u01B0\u1EA0-\u1EF9]/;
/** The Latin-1 letters Unicode Vietnamese uses; any other Latin-1 character in text is a sign of a legacy encoding. */
const VIETNAMESE_LATIN1 = new Set('ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý');

function strangeCharacters(text: string): number {
  let count = 0;
  for (const char of text) if (char >= '\u0080' && char <= '\u00FF' && !VIETNAMESE_LATIN1.has(char)) count++;
  return count;
}

/** Words carrying two tone marks: impossible in Vietnamese, so a sign of a wrong reading. */
function doubleTonedWords(text: string): number {
  return text
    .normalize('NFD')
    .split(/\s+/)
    .filter((word) => (word.match(/[\u0300\u0301\u0303\u0309\u0323]/g)?.length ?? 0) > 1).length;
}

function implausibility(text: string): number {
  return strangeCharacters(text) * 10 + doubleTonedWords(text);
}

/**
 * Decides the encoding of a whole file's text. Unicode when it holds any Unicode-only Vietnamese
 * letter or no strange Latin-1 character; otherwise the legacy reading that leaves the fewest
 * strange characters and impossible words (VNI first on a tie, as it joins letters with marks).
 */
export function detectEncoding(text: string): TextEncoding {
  if (UNICODE_VIETNAMESE.test(text) || strangeCharacters(text) === 0) return 'unicode';
  const asIs = implausibility(text);
  const vni = implausibility(decodeVni(text));
  const tcvn3 = implausibility(decodeTcvn3(text));
  if (Math.min(vni, tcvn3) >= asIs) return 'unicode';
  return vni <= tcvn3 ? 'vni' : 'tcvn3';
}

export function toUnicode(text: string, encoding: TextEncoding): string {
  if (encoding === 'tcvn3') return decodeTcvn3(text);
  if (encoding === 'vni') return decodeVni(text);
  return text.normalize('NFC');
}
