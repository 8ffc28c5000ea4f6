// How a body is named where a person reads it. A local government unit is stored as its territory
// ("Tỉnh An Giang"), but it is its People's Committee that awards and signs: the verify page and the
// annex name "Ủy ban nhân dân tỉnh An Giang".

const LOCAL_GOVERNMENT = new Set(['province', 'district', 'commune']);

/** Whether the unit is a level of local government (its People's Committee acts for it). */
export const isLocalGovernment = (kind: string) => LOCAL_GOVERNMENT.has(kind);

/** "Tỉnh An Giang" -> "tỉnh An Giang": a local government's name inside a sentence. */
export function inSentence(name: string): string {
  return name.replace(/^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Xã|Phường|Thị trấn|Đặc khu)(?=\s|$)/u, (word) => word.toLocaleLowerCase('vi'));
}

/** The body that acts: "Ủy ban nhân dân tỉnh An Giang" for a local government, else the unit's own name. */
export function bodyName(name: string, kind: string): string {
  return isLocalGovernment(kind) ? `Ủy ban nhân dân ${inSentence(name)}` : name;
}
