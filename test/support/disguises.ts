// Disguised names: each hidden character, stack of marks or look-alike letter below once made
// "Lê Thị Ánh Tuyết" a second nominee in the same round. test/security/names.test.ts sends them to
// the API; test/unit/security/nominee-key.test.ts folds them with the duplicate key.
export const NAME = 'Lê Thị Ánh Tuyết';

/** Each disguise of NAME, by what it hides. */
export const DISGUISES: Record<string, string> = {
  'soft hyphen U+00AD': 'Lê Thị Ánh Tuy\u00ADết',
  'zero-width space U+200B': 'Lê Thị\u200B Ánh Tuyết',
  'zero-width non-joiner U+200C': 'Lê Thị Ánh\u200C Tuyết',
  'zero-width joiner U+200D': 'Lê Thị Á\u200Dnh Tuyết',
  'word joiner U+2060': 'Lê\u2060 Thị Ánh Tuyết',
  'byte order mark U+FEFF': 'Lê Thị\uFEFF Ánh Tuyết',
  'left-to-right mark U+200E': 'Lê Thị Ánh Tuyết\u200E',
  'Arabic letter mark U+061C': 'Lê Thị \u061CÁnh Tuyết',
  'Mongolian vowel separator U+180E': 'Lê Thị Ánh\u180E Tuyết',
  'invisible times U+2062': 'Lê Thị Ánh Tuy\u2062ết',
  'variation selector U+FE0F': 'Lê Thị Ánh Tuyết\uFE0F',
  'variation selector U+FE00': 'Lê\uFE00 Thị Ánh Tuyết',
  'variation selector supplement U+E0100': 'Lê Thị Ánh Tuyết\u{E0100}',
  'tag characters U+E0041 U+E007F': 'Lê Thị Ánh Tuyết\u{E0041}\u{E007F}',
  'Hangul choseong filler U+115F': 'Lê Thị\u115F Ánh Tuyết',
  'Hangul jungseong filler U+1160': 'Lê Thị Ánh\u1160 Tuyết',
  'Hangul filler U+3164': 'Lê Thị Ánh Tuyết\u3164',
  'halfwidth Hangul filler U+FFA0': 'Lê\uFFA0 Thị Ánh Tuyết',
  'combining grapheme joiner U+034F': 'Lê Thị Ánh Tuy\u034Fết',
  '150 stacked combining marks': 'Lê Thị Ánh Tuyết' + '\u0301'.repeat(150),
  '150 stacked marks on a plain letter': 'Lê Thị Ánh Tuyet'.replace('et', 'e\u0302\u0301' + '\u0300'.repeat(150) + 't'),
  'Cyrillic е (U+0435) in a Latin name': 'Lê Thị Ánh Tuy\u0435\u0302\u0301t',
  'Cyrillic Т (U+0422) in a Latin name': 'Lê \u0422hị Ánh Tuyết',
  'Greek Α (U+0391) in a Latin name': 'Lê Thị \u0391\u0301nh Tuyết',
  'Greek ο (U+03BF) in "Võ Thị Ánh Tuyết"': 'V\u03BF\u0303 Thị Ánh Tuyết',
};
