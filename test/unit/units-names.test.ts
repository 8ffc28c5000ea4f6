// A body as a reader names it (issue 22): the People's Committee for a local government, the unit's own name otherwise.
import { expect } from 'chai';
import { bodyName, inSentence } from '../../server/units/names.ts';

describe('units: the name of the body that acts', () => {
  it('names a province, a ward and a commune by their People\'s Committee, an agency by its own name', () => {
    expect(bodyName('Tỉnh An Giang', 'province')).to.equal('Ủy ban nhân dân tỉnh An Giang');
    expect(bodyName('Phường Rạch Giá', 'commune')).to.equal('Ủy ban nhân dân phường Rạch Giá');
    expect(bodyName('Đặc khu Phú Quốc', 'commune')).to.equal('Ủy ban nhân dân đặc khu Phú Quốc');
    expect(bodyName('Sở Giáo dục và Đào tạo tỉnh An Giang', 'agency')).to.equal('Sở Giáo dục và Đào tạo tỉnh An Giang');
    expect(bodyName('Ban Dân vận Trung ương', 'organisation')).to.equal('Ban Dân vận Trung ương');
    expect(inSentence('Thành phố Hà Nội')).to.equal('thành phố Hà Nội');
    expect(inSentence('Thị xã Tân Châu')).to.equal('thị xã Tân Châu');
  });
});
