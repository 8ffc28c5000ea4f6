// A package's entry names (ASCII for every unzip tool, the kind first, the extension kept) and its limits.
import { expect } from 'chai';
import { PACKAGE_LIMITS, packageFits } from '../../../server/dossiers/policy.ts';
import { asciiSlug, fileEntryName, folderName } from '../../../server/dossiers/present.ts';

describe('dossier packages: names and limits', () => {
  it('folds Vietnamese names to ASCII words', () => {
    expect(asciiSlug('Tờ trình đề nghị khen thưởng')).to.equal('to-trinh-de-nghi-khen-thuong');
    expect(asciiSlug('ĐẶNG Văn Ánh')).to.equal('dang-van-anh');
    expect(asciiSlug('../../etc/passwd')).to.equal('etc-passwd');
    expect(asciiSlug('日本語')).to.equal('');
  });

  it('names each file by its place, its kind and its original name, keeping the extension', () => {
    expect(fileEntryName(1, { kind: 'proposal', file_name: 'Tờ trình.PDF' })).to.equal('01-to-trinh-to-trinh.pdf');
    expect(fileEntryName(12, { kind: 'minutes', file_name: 'Biên bản họp Hội đồng.docx' })).to.equal('12-bien-ban-bien-ban-hop-hoi-dong.docx');
    expect(fileEntryName(3, { kind: 'other', file_name: '会議.doc' })).to.equal('03-tai-lieu-khac-tep.doc');
    expect(folderName(7, 'Nguyễn Thị Thu Hà')).to.equal('007-nguyen-thi-thu-ha');
  });

  it('refuses a round over 500 nominations or 500 MB of files', () => {
    expect(packageFits({ nominations: 500, bytes: PACKAGE_LIMITS.maxBytes })).to.equal(true);
    expect(packageFits({ nominations: 501, bytes: 0 })).to.equal(false);
    expect(packageFits({ nominations: 1, bytes: PACKAGE_LIMITS.maxBytes + 1 })).to.equal(false);
    expect(packageFits({ nominations: 3, bytes: 11 }, { maxNominations: 10, maxBytes: 10 })).to.equal(false);
  });
});
