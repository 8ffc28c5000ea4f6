// The words of the committee's documents, without a database: how recipients are counted, how a
// signer's title becomes lines, and the defaults a body's settings start from.
import { expect } from 'chai';
import { recipientCount, titleLines } from '../../../server/documents/official.ts';
import { defaultSettings } from '../../../server/documents/settings.ts';

describe('official documents: words', function () {
  it('counts recipients by kind and names no kind with a zero', function () {
    expect(recipientCount({ collectives: 2, individuals: 3 })).to.equal('2 tập thể và 3 cá nhân');
    expect(recipientCount({ collectives: 0, individuals: 1 })).to.equal('1 cá nhân');
    expect(recipientCount({ collectives: 4, individuals: 0 })).to.equal('4 tập thể');
  });

  it('reads " - ", a line break or a slash in the signer\'s title as a line break, in capitals', function () {
    for (const typed of ['KT. Chủ tịch - Phó Chủ tịch', 'KT. Chủ tịch\nPhó Chủ tịch', 'KT. Chủ tịch / Phó Chủ tịch', 'KT. CHỦ TỊCH/PHÓ CHỦ TỊCH']) {
      expect(titleLines(typed), typed).to.deep.equal(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    }
    expect(titleLines('Chủ tịch')).to.deep.equal(['CHỦ TỊCH']);
  });

  it('derives a province\'s defaults from its name, a department\'s from its province', function () {
    const province = defaultSettings({ id: 1, name: 'Tỉnh An Giang', kind: 'province', isCentre: false, above: [] });
    expect(province).to.include({ placeName: 'An Giang', superiorLine: '', authorityName: 'Chủ tịch Ủy ban nhân dân tỉnh An Giang', standingOrgan: 'BAN THI ĐUA - KHEN THƯỞNG' });
    expect(province.issuerLines).to.deep.equal(['ỦY BAN NHÂN DÂN', 'TỈNH AN GIANG']);
    const city = defaultSettings({ id: 2, name: 'Thành phố Hồ Chí Minh', kind: 'province', isCentre: false, above: [] });
    expect(city).to.include({ placeName: 'Hồ Chí Minh', authorityName: 'Chủ tịch Ủy ban nhân dân thành phố Hồ Chí Minh' });
    const department = defaultSettings({ id: 3, name: 'Sở Nội vụ', kind: 'agency', isCentre: false, above: [{ name: 'Tỉnh An Giang', kind: 'province' }] });
    expect(department).to.include({ placeName: 'An Giang', superiorLine: 'UBND TỈNH AN GIANG' });
    expect(department.issuerLines).to.deep.equal(['SỞ NỘI VỤ']);
    const commune = defaultSettings({ id: 4, name: 'Xã Mỹ Hòa Hưng', kind: 'commune', isCentre: false, above: [{ name: 'Tỉnh An Giang', kind: 'province' }] });
    expect(commune).to.include({ placeName: 'An Giang', authorityName: 'Chủ tịch Ủy ban nhân dân xã Mỹ Hòa Hưng' });
    expect(commune.issuerLines).to.deep.equal(['ỦY BAN NHÂN DÂN', 'XÃ MỸ HÒA HƯNG']);
  });
});
