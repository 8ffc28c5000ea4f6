// The signature block and the lower corner's decision line: the signer's title as typed becomes a
// prefix line and a title line (Nghị định 30/2020), in capitals, never with a slash.
import { expect } from 'chai';
import { decisionLine, signerLines } from '../../../server/certificates/rendering/sheets.ts';

describe('signer lines', () => {
  const cases: [string, string[]][] = [
    ['KT. CHỦ TỊCH / PHÓ CHỦ TỊCH', ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']],
    ['KT.CHỦ TỊCH - PHÓ CHỦ TỊCH', ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']],
    ['KT. Chủ tịch - Phó Chủ tịch', ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']],
    ['kt.chủ tịch\nphó chủ tịch', ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']],
    ['TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH', ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']],
    ['TUQ. Chủ tịch / Giám đốc Sở Nội vụ', ['TUQ. CHỦ TỊCH', 'GIÁM ĐỐC SỞ NỘI VỤ']],
    ['CHỦ TỊCH', ['CHỦ TỊCH']],
    ['Q. CHỦ TỊCH', ['Q. CHỦ TỊCH']],
    // A dash inside a body's name stays when there is no prefix, and only the last dash splits after one.
    ['Chủ tịch Hội đồng Thi đua - Khen thưởng', ['CHỦ TỊCH HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG']],
    ['TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG - CHỦ TỊCH', ['TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG', 'CHỦ TỊCH']],
  ];
  for (const [typed, lines] of cases) {
    it(`prints ${JSON.stringify(typed)} as ${lines.length} line(s) without a slash`, () => {
      const printed = signerLines(typed);
      expect(printed).to.deep.equal(lines);
      for (const line of printed) expect(line).to.not.contain('/');
    });
  }

  it('writes the decision number with its date', () => {
    expect(decisionLine('12/QĐ-UBND', '2025-12-20')).to.equal('Quyết định số 12/QĐ-UBND ngày 20/12/2025');
  });
});
