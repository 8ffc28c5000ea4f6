// What a person's or a unit's name may hold, and the folded form under which two spellings of one
// name are the same name. Each invisible character, stack of combining marks or look-alike letter
// from another script once made "Lê Thị Ánh Tuyết" a second nominee in the same round.

/**
 * Characters that show nothing or change how their neighbours show: format characters (Cf: soft
 * hyphen, zero-width, bidi marks, Arabic letter mark, tags), every default-ignorable code point
 * (variation selectors, Hangul fillers U+115F U+1160 U+3164 U+FFA0, combining grapheme joiner),
 * controls, private use, unassigned code points, lone surrogates, and every space but U+0020.
 */
const HIDDEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/u;
const HIDDEN_GLOBAL = new RegExp(HIDDEN.source, 'gu');

/** Vietnamese in NFD puts at most two marks on a letter (ệ = e + ̂ + ̣); a third is a stack. */
export const MAX_MARKS_PER_LETTER = 2;

const MARK = /\p{M}/u;

function hasMarkStack(name: string): boolean {
  let run = 0;
  for (const char of name.normalize('NFD')) {
    run = MARK.test(char) ? run + 1 : 0;
    if (run > MAX_MARKS_PER_LETTER) return true;
  }
  return false;
}

const SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

/** Latin, Cyrillic and Greek share look-alike letters (a/а/α): a name written in two of them is a disguise. */
function mixesLookAlikeScripts(name: string): boolean {
  return SCRIPTS.filter((script) => script.test(name)).length > 1;
}

/** True when a name holds a hidden character, a stack of marks or letters of two look-alike scripts. */
export function hasInvalidNameCharacters(name: string): boolean {
  return HIDDEN.test(name) || hasMarkStack(name) || mixesLookAlikeScripts(name);
}

/** Cyrillic and Greek letters that look like Latin ones, as the Latin letter (lower case). */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'ë', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ї: 'ï', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', γ: 'y',
};

/**
 * A letter with a stack of marks keeps only the marks that make one precomposed letter with it
 * ("ế" + 150 acute accents is "ế", "t" + 150 grave accents is "t"); a letter with at most two keeps them.
 */
function foldMarks(letter: string, marks: string[]): string {
  if (marks.length <= MAX_MARKS_PER_LETTER) return letter + marks.join('');
  for (let keep = MAX_MARKS_PER_LETTER; keep > 0; keep -= 1) {
    const composed = (letter + marks.slice(0, keep).join('')).normalize('NFC');
    if ([...composed].length === 1) return composed;
  }
  return letter;
}

/**
 * The form under which two spellings of one name are equal: hidden characters dropped, look-alike
 * letters read as Latin, stacks of marks cut back, NFC, case-folded, spaces collapsed. Folding as well
 * as refusing: a name that reaches the key past the Joi rule still collides. Keys stored before this
 * fold are not recomputed (that needs a one-off pass in Node).
 */
export function foldName(name: string): string {
  const visible = name.replace(HIDDEN_GLOBAL, (c) => (/\s/u.test(c) ? ' ' : '')).normalize('NFD').toLocaleLowerCase('vi');
  let folded = '';
  let letter = '';
  let marks: string[] = [];
  for (const char of visible) {
    if (MARK.test(char)) {
      marks.push(char);
      continue;
    }
    folded += foldMarks(letter, marks);
    letter = LOOK_ALIKES[char] ?? char;
    marks = [];
  }
  folded += foldMarks(letter, marks);
  return folded.normalize('NFC').trim().replace(/\s+/g, ' ');
}
