// The nomination duplicate key folds out the disguises that test/security/names.test.ts sends to the API.
import { expect } from 'chai';
import { nomineeKey } from '../../../server/awards/names.ts';
import { DISGUISES, NAME } from '../../support/disguises.ts';

describe('names: the nomination duplicate key (nomineeKey)', () => {
  it('folds every disguise to the key of the plain name', () => {
    const key = nomineeKey(NAME);
    for (const [what, name] of Object.entries(DISGUISES)) {
      const expected = what.includes('Võ') ? nomineeKey('Võ Thị Ánh Tuyết') : key;
      expect(nomineeKey(name), what).to.equal(expected);
    }
  });

  it('keeps case, spacing and NFD folded as before, and tells different names apart', () => {
    expect(nomineeKey('  LÊ   THỊ ÁNH TUYẾT ')).to.equal(nomineeKey(NAME));
    expect(nomineeKey(NAME.normalize('NFD'))).to.equal('lê thị ánh tuyết');
    expect(nomineeKey('Lê Thị Ánh Tuyet')).not.to.equal(nomineeKey(NAME));
    expect(nomineeKey('Lê Thị Anh Tuyết')).not.to.equal(nomineeKey(NAME));
  });
});
