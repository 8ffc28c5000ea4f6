// The authority line and the place of a certificate follow its award: the provincial chairman's for
// a province's Bằng khen, the Prime Minister's (in Hà Nội) for the one the centre's rounds propose.
import { expect } from 'chai';
import { authorityLine, placeOf } from '../../../server/certificates/rendering/sheets.ts';

describe('certificate authority line and place', () => {
  it('writes the provincial chairman for a province\'s Bằng khen, and the issuer otherwise', () => {
    expect(authorityLine('bang_khen_chu_tich_ubnd_tinh', 'Tỉnh An Giang', 'province')).to.equal('CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG');
    expect(authorityLine('giay_khen', 'Sở Giáo dục và Đào tạo tỉnh An Giang', 'agency')).to.equal('SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH AN GIANG');
    expect(placeOf('bang_khen_chu_tich_ubnd_tinh', 'Tỉnh An Giang')).to.equal('An Giang');
  });

  it('writes THỦ TƯỚNG CHÍNH PHỦ and Hà Nội for the Prime Minister\'s certificate of merit, whoever proposed it', () => {
    expect(authorityLine('bang_khen_thu_tuong', 'Ban Dân vận Trung ương', 'agency')).to.equal('THỦ TƯỚNG CHÍNH PHỦ');
    expect(placeOf('bang_khen_thu_tuong', 'Ban Dân vận Trung ương')).to.equal('Hà Nội');
  });
});
