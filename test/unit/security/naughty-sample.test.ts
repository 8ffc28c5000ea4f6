// The sample the naughty-strings sweep sends without NAUGHTY_STRINGS=all (test/support/security.ts).
import { expect } from 'chai';
import { NAUGHTY, NAUGHTY_CATEGORIES, naughtyCategorySample, naughtySample } from '../../support/security.ts';

describe('naughty strings: the default sample', () => {
  it('sorts every string of the list into a category of blns.txt', () => {
    expect([...NAUGHTY_CATEGORIES.values()].flat().sort()).to.deep.equal([...NAUGHTY].sort());
    expect(NAUGHTY_CATEGORIES.has('Uncategorised'), 'blns.json and blns.txt agree').to.equal(false);
    expect(NAUGHTY_CATEGORIES.size).to.be.greaterThan(25);
  });

  it('holds every category, every 5th string of each, and every string the forms get, in the list order', () => {
    const sample = naughtyCategorySample();
    for (const [category, strings] of NAUGHTY_CATEGORIES) {
      strings.forEach((s, i) => {
        if (i % 5 === 0) expect(sample, `${category} #${i}`).to.include(s);
      });
    }
    for (const s of naughtySample()) expect(sample).to.include(s);
    expect(sample).to.deep.equal(NAUGHTY.filter((s) => sample.includes(s)));
    expect(sample.length).to.be.lessThan(NAUGHTY.length / 2);
  });

  it('is the same on every run', () => {
    expect(naughtyCategorySample()).to.deep.equal(naughtyCategorySample());
  });
});
