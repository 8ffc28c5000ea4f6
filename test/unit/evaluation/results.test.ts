// The results' arithmetic: exact in hundredths, the mean rounded half up to two decimals, ties share a rank.
import { expect } from 'chai';
import { hundredths, resultsOf } from '../../../server/evaluation/results.ts';

const byTitle = (a: string, b: string) => a.localeCompare(b, 'vi');

describe('criteria set results', () => {
  it('reads numeric text and numbers as whole hundredths', () => {
    expect([hundredths('86.50'), hundredths(0.1 + 0.2), hundredths(75.005)]).to.deep.equal([8650, 30, 7501]);
  });

  it('averages totals half up to two decimals, with the spread and the threshold', () => {
    const [only] = resultsOf([{ modelId: 1, title: 'A', totals: [8000, 7025, 7600] }], 7550, byTitle);
    expect(only).to.include({ evaluators: 3, average: 7542, spread: 975, meetsThreshold: false, rank: 1 }); // 75.41666… → 75.42
    const [half] = resultsOf([{ modelId: 2, title: 'B', totals: [8001, 7100] }], 7551, byTitle);
    expect(half).to.include({ average: 7551, meetsThreshold: true }); // 75.505 → 75.51
  });

  it('ranks best first, equal averages sharing a rank, unscored models last without one', () => {
    const results = resultsOf([
      { modelId: 1, title: 'Ấp Bắc', totals: [7000] },
      { modelId: 2, title: 'Bình Minh', totals: [9000] },
      { modelId: 3, title: 'An Phú', totals: [7000] },
      { modelId: 4, title: 'Cồn Sơn', totals: [] },
      { modelId: 5, title: 'Đông Hòa', totals: [6000] },
    ], 0, byTitle);
    expect(results.map((r) => [r.modelId, r.rank])).to.deep.equal([[2, 1], [3, 2], [1, 2], [5, 4], [4, null]]);
  });
});
