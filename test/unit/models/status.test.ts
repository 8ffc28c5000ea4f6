import { expect } from 'chai';
import { nextStatusesFor } from '../../../server/models/policy.ts';
import { canMove, MODEL_STATUSES, type ModelStatus } from '../../../server/models/status.ts';

describe('model status transitions (the whole table)', () => {
  const allowed: Record<ModelStatus, ModelStatus[]> = {
    registered: ['implementing', 'discontinued'],
    implementing: ['implementing', 'completed', 'discontinued'],
    completed: ['recognized', 'not_recognized', 'discontinued'],
    recognized: [],
    not_recognized: [],
    discontinued: [],
  };
  for (const from of MODEL_STATUSES) {
    for (const to of MODEL_STATUSES) {
      const expected = allowed[from].includes(to);
      it(`${expected ? 'allows' : 'refuses'} ${from} -> ${to}`, () => {
        expect(canMove(from, to)).to.equal(expected);
      });
    }
  }

  it('offers recognition only to the committee secretary and the admin', () => {
    expect(nextStatusesFor({ user: { role: 'agency' } }, 'completed')).to.deep.equal(['discontinued']);
    expect(nextStatusesFor({ user: { role: 'secretary' } }, 'completed')).to.deep.equal(['recognized', 'not_recognized', 'discontinued']);
  });
});
