// The position warning's rule: a position that already holds the unit's name, whatever the case and
// the diacritics, would print the unit twice on the certificate ("Chức vụ, Đơn vị, Đơn vị").
import { expect } from 'chai';
import { positionRepeatsUnit } from '../../../server/awards/names.ts';

describe('a position that repeats the unit', () => {
  it('is found at the end, in the middle, in any case, with or without diacritics', () => {
    expect(positionRepeatsUnit('Phó Giám đốc Sở Y tế', 'Sở Y tế')).to.equal(true);
    expect(positionRepeatsUnit('Phó Giám đốc SỞ Y TẾ', 'Sở Y tế')).to.equal(true);
    expect(positionRepeatsUnit('Pho Giam doc So Y te', 'Sở Y tế')).to.equal(true);
    expect(positionRepeatsUnit('Chủ tịch UBND xã An Bình, kiêm Bí thư', 'Xã An Bình')).to.equal(true);
    expect(positionRepeatsUnit('Trưởng phòng,  Sở Giáo dục và Đào tạo', 'Sở Giáo dục và Đào tạo')).to.equal(true);
  });

  it('is not found in a plain position, a part of a word, or an empty one', () => {
    expect(positionRepeatsUnit('Phó Trưởng phòng', 'Sở Giáo dục và Đào tạo')).to.equal(false);
    expect(positionRepeatsUnit('Chuyên viên', 'Sở Y tế')).to.equal(false);
    expect(positionRepeatsUnit('Giám đốc Sở Y tết', 'Sở Y tế')).to.equal(false);
    expect(positionRepeatsUnit(null, 'Sở Y tế')).to.equal(false);
    expect(positionRepeatsUnit('', 'Sở Y tế')).to.equal(false);
  });
});
