// TCVN3 (ABC) and VNI text, as old spreadsheets hold it, converted to Unicode before an import.
import { expect } from 'chai';
import { decodeTcvn3, decodeVni, detectEncoding } from '../../../server/models/legacy-encoding.ts';

describe('legacy Vietnamese encodings', () => {
  it('converts TCVN3 (ABC) text, every lower-case letter and the capitals it has', () => {
    expect(decodeTcvn3('D©n vËn khÐo – §¶ng bé x· M\u00ADêng Kh\u00AD¬ng')).to.equal('Dân vận khéo – Đảng bộ xã Mường Khương');
    expect(decodeTcvn3('µ¸¶·¹ ¨»¾¼½Æ ©ÇÊÈÉË ®')).to.equal('àáảãạ ăằắẳẵặ âầấẩẫậ đ');
    expect(decodeTcvn3('ÌÐÎÏÑ ªÒÕÓÔÖ ×ÝØÜÞ ßãáâä «åèæçé ¬êíëìî ïóñòô \u00ADõøö÷ù úýûüþ')).to.equal('èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ');
    expect(decodeTcvn3('¡ ¢ § £ ¤ ¥ ¦')).to.equal('Ă Â Đ Ê Ô Ơ Ư');
  });

  it('converts VNI text, lower and upper case', () => {
    expect(decodeVni('Ngöôøi daân tham gia xaây döïng ñöôøng')).to.equal('Người dân tham gia xây dựng đường');
    expect(decodeVni('VIEÄT NAM – Ñaûng boä')).to.equal('VIỆT NAM – Đảng bộ');
    expect(decodeVni('Phaïm Thò Kim Ngoïc, Myõ Tho, ngaøy 15')).to.equal('Phạm Thị Kim Ngọc, Mỹ Tho, ngày 15');
  });

  it('recognises the encoding of a text, and leaves Unicode alone', () => {
    expect(detectEncoding('Ch\u00AD¬ng tr×nh D©n vËn khÐo')).to.equal('tcvn3');
    expect(detectEncoding('Chöông trình daân vaän kheùo')).to.equal('vni');
    expect(detectEncoding('Chương trình Dân vận khéo')).to.equal('unicode');
    expect(detectEncoding('Tú Bà')).to.equal('unicode');
  });
});
