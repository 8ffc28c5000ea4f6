// The audit viewer's pure parts: what changed between before and after, an action's name, the
// record's page, the action select's groups, and Vietnam's midnight as an instant.
import { expect } from 'chai';
import { actionLabel, actionOptions, changesOf, changesText, recordHref } from '../../../server/audit/present.ts';
import { vietnamMidnight } from '../../../server/audit/service.ts';
import { vietnamWallClock } from '../../../server/audit/xlsx.ts';

describe('audit presentation (unit)', () => {
  it('lists only the fields that changed, a creation\'s fields from "—", and counts what is left over', () => {
    expect(changesOf({ status: 'submitted', title: 'A' }, { status: 'returned', title: 'A' })).to.deep.equal({ changes: [{ field: 'status', from: 'submitted', to: 'returned' }], more: 0 });
    expect(changesOf(null, { code: 'X1' })).to.deep.equal({ changes: [{ field: 'code', from: '—', to: 'X1' }], more: 0 });
    expect(changesOf({ members: [1, 2] }, { members: [1, 3] }).changes).to.deep.equal([{ field: 'members', from: '[1,2]', to: '[1,3]' }]);
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, i]));
    expect(changesOf(null, many).more).to.equal(3);
    expect(changesOf(null, null)).to.deep.equal({ changes: [], more: 0 });
    expect(changesOf(null, 'text')).to.deep.equal({ changes: [{ field: '', from: '—', to: 'text' }], more: 0 });
    expect(changesOf(null, { long: 'x'.repeat(100) }).changes[0]!.to).to.have.length(60);
    expect(changesText(null, many, 'vi')).to.match(/; và 3 trường khác$/);
  });

  it('names an action in Vietnamese, a new one of a known group by the group and its code, an unknown one by its code', () => {
    expect(actionLabel('vi', 'nomination.submit')).to.equal('Gửi hồ sơ đề nghị');
    expect(actionLabel('en', 'nomination.submit')).to.equal('Nomination submitted');
    expect(actionLabel('vi', 'nomination.recuse')).to.equal('Hồ sơ đề nghị (nomination.recuse)');
    expect(actionLabel('vi', 'weather.rain')).to.equal('weather.rain');
  });

  it('links a record to its page where there is one', () => {
    expect(recordHref({ action: 'nomination.submit', entity_type: 'nomination', entity_id: '7' })).to.equal('/nominations/7');
    expect(recordHref({ action: 'round.close', entity_type: 'award_round', entity_id: '3' })).to.equal('/awards/3');
    expect(recordHref({ action: 'committee.update', entity_type: 'unit', entity_id: '5' })).to.equal('/committees/5');
    expect(recordHref({ action: 'unit.update', entity_type: 'unit', entity_id: '5' })).to.equal('/admin/units/5/edit');
    expect(recordHref({ action: 'token.create', entity_type: 'api_token', entity_id: '5' })).to.equal(null);
    expect(recordHref({ action: 'demo.seed', entity_type: 'database', entity_id: null })).to.equal(null);
    expect(recordHref({ action: 'x.y', entity_type: 'model', entity_id: '../admin' })).to.equal(null);
  });

  it('groups the action select by prefix, each group first offering all of it', () => {
    const groups = actionOptions('vi', ['round.close', 'nomination.submit', 'nomination.create', 'weather.rain']);
    expect(groups.map((group) => group.label)).to.deep.equal(['Đợt khen thưởng', 'Hồ sơ đề nghị', 'weather']);
    expect(groups[1]!.options).to.deep.equal([
      { value: 'nomination.', label: 'Hồ sơ đề nghị: tất cả' },
      { value: 'nomination.submit', label: 'Gửi hồ sơ đề nghị' },
      { value: 'nomination.create', label: 'Tạo hồ sơ đề nghị' },
    ]);
  });

  it('starts a Vietnam day at 17:00 UTC the day before, and writes Excel times on Vietnam\'s clock', () => {
    expect(vietnamMidnight('2025-07-01').toISOString()).to.equal('2025-06-30T17:00:00.000Z');
    expect(vietnamMidnight('2025-12-31', 1).toISOString()).to.equal('2025-12-31T17:00:00.000Z');
    expect(vietnamWallClock(new Date('2025-06-30T17:05:00Z')).toISOString()).to.equal('2025-07-01T00:05:00.000Z');
  });
});
