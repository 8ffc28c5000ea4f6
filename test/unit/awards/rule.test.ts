// Pure unit tests: the voting rule (rule.ts), the nomination transition table (status.ts) and
// Vietnamese names (names.ts). No database, no HTTP.
import { expect } from 'chai';
import { choicesOf, decide, DEFAULT_RULE, ruleOf, type VotingRule } from '../../../server/awards/rule.ts';
import { canMove, isEditable, NOMINATION_STATUSES, sourcesOf, targetOf, type NominationMove, type NominationStatus } from '../../../server/awards/status.ts';
import { compareText, compareVietnameseNames, nomineeKey } from '../../../server/awards/names.ts';
import { annexOrder } from '../../../server/awards/service.ts';

const tally = (approvals: number, rejections: number, eligibleVoters: number) => ({ approvals, rejections, eligibleVoters });

describe('voting rule: decide()', () => {
  it('approves when 2 of 3 members vote and both approve (the default 2/3 quorum is reached)', () => {
    expect(decide(DEFAULT_RULE, tally(2, 0, 3))).to.deep.equal({ result: 'approved', reason: 'approved' });
  });

  it('rejects for lack of quorum when only 1 of 3 members votes, even in favour', () => {
    expect(decide(DEFAULT_RULE, tally(1, 0, 3))).to.deep.equal({ result: 'rejected', reason: 'no_quorum' });
  });

  it('rejects a tie (1 approve, 1 reject): half is not more than half', () => {
    expect(decide(DEFAULT_RULE, tally(1, 1, 3))).to.deep.equal({ result: 'rejected', reason: 'not_enough_approvals' });
  });

  it('approves 2 approvals against 1 rejection (more than half)', () => {
    expect(decide(DEFAULT_RULE, tally(2, 1, 3)).result).to.equal('approved');
  });

  it('counts two thirds of 9 members as exactly 6 votes (integer arithmetic)', () => {
    expect(decide(DEFAULT_RULE, tally(6, 0, 9)).result).to.equal('approved');
    expect(decide(DEFAULT_RULE, tally(5, 0, 9))).to.deep.equal({ result: 'rejected', reason: 'no_quorum' });
  });

  it('rejects when there is no eligible voter at all', () => {
    expect(decide(DEFAULT_RULE, tally(0, 0, 0))).to.deep.equal({ result: 'rejected', reason: 'no_quorum' });
  });

  it('with quorum "all" rejects when one eligible member has not voted', () => {
    const rule = ruleOf('all', 'more_than_half');
    expect(decide(rule, tally(2, 0, 3)).reason).to.equal('no_quorum');
    expect(decide(rule, tally(3, 0, 3)).result).to.equal('approved');
  });

  it('with approval "two_thirds" approves exactly two thirds (at least, not more than) and rejects less', () => {
    const rule = ruleOf('2/3', 'two_thirds');
    expect(decide(rule, tally(2, 1, 3)).result).to.equal('approved');
    expect(decide(rule, tally(3, 2, 5))).to.deep.equal({ result: 'rejected', reason: 'not_enough_approvals' });
    expect(decide(rule, tally(4, 2, 6)).result).to.equal('approved');
  });

  it('with approval "all" rejects a single dissent', () => {
    const rule = ruleOf('1/2', 'all');
    expect(decide(rule, tally(3, 1, 4)).result).to.equal('rejected');
    expect(decide(rule, tally(4, 0, 4)).result).to.equal('approved');
  });

  it('maps every rule choice to numbers and back', () => {
    for (const quorum of ['1/2', '2/3', '3/4', 'all'] as const) {
      for (const approval of ['more_than_half', 'two_thirds', 'all'] as const) {
        expect(choicesOf(ruleOf(quorum, approval))).to.deep.equal({ quorum, approval });
      }
    }
    expect(choicesOf(DEFAULT_RULE)).to.deep.equal({ quorum: '2/3', approval: 'more_than_half' });
    const odd: VotingRule = { quorumNum: 3, quorumDen: 5, approvalNum: 3, approvalDen: 5, approvalStrict: true };
    expect(choicesOf(odd)).to.deep.equal({ quorum: null, approval: null });
  });
});

describe('nomination transition table (status.ts)', () => {
  const expected: Record<NominationMove, { from: NominationStatus[]; to: NominationStatus }> = {
    submit: { from: ['draft', 'returned'], to: 'submitted' },
    return: { from: ['submitted'], to: 'returned' },
    approve: { from: ['submitted'], to: 'approved' },
    reject: { from: ['submitted'], to: 'rejected' },
    reopen: { from: ['approved', 'rejected'], to: 'submitted' },
  };

  for (const [move, { from, to }] of Object.entries(expected) as [NominationMove, { from: NominationStatus[]; to: NominationStatus }][]) {
    for (const status of NOMINATION_STATUSES) {
      const allowed = from.includes(status);
      it(`${allowed ? 'allows' : 'refuses'} "${move}" from ${status}`, () => {
        expect(canMove(status, move)).to.equal(allowed);
      });
    }
    it(`"${move}" leads to ${to} from exactly ${from.join(', ')}`, () => {
      expect(targetOf(move)).to.equal(to);
      expect([...sourcesOf(move)]).to.deep.equal(from);
    });
  }

  it('lets the unit edit only drafts and returned nominations', () => {
    expect(NOMINATION_STATUSES.filter(isEditable)).to.deep.equal(['draft', 'returned']);
  });

  it('leaves approved and rejected nominations no move but the round\'s reopening', () => {
    for (const status of ['approved', 'rejected'] as const) {
      expect((Object.keys(expected) as NominationMove[]).filter((move) => canMove(status, move))).to.deep.equal(['reopen']);
    }
  });
});

describe('Vietnamese names (names.ts)', () => {
  it('gives one key to spellings that differ by case, spaces and NFD vs NFC', () => {
    const key = nomineeKey('Nguyễn Văn An');
    expect(nomineeKey('NGUYỄN  VĂN   AN')).to.equal(key);
    expect(nomineeKey('  nguyễn văn an ')).to.equal(key);
    expect(nomineeKey('Nguyễn Văn An'.normalize('NFD'))).to.equal(key);
    expect(nomineeKey('Nguyễn Văn Ân')).to.not.equal(key);
  });

  it('orders people by given name, the Vietnamese way', () => {
    const names = ['Trần Văn Bình', 'Đặng Văn Ánh', 'Nguyễn Thị Anh', 'Lê Thị Đào', 'Phạm Văn Dũng'];
    expect([...names].sort(compareVietnameseNames)).to.deep.equal(['Nguyễn Thị Anh', 'Đặng Văn Ánh', 'Trần Văn Bình', 'Phạm Văn Dũng', 'Lê Thị Đào']);
  });

  it('breaks a tie on the given name by family and middle names', () => {
    expect(['Trần Văn An', 'Lê Thị An', 'Bùi Văn An'].sort(compareVietnameseNames)).to.deep.equal(['Bùi Văn An', 'Lê Thị An', 'Trần Văn An']);
  });

  it('orders collectives by their whole name with numbers in numeric order', () => {
    expect(['Trường 10', 'Trường 2', 'Ban Dân vận'].sort(compareText)).to.deep.equal(['Ban Dân vận', 'Trường 2', 'Trường 10']);
  });

  it('puts collectives first (by name), then individuals by given name, in the annex', () => {
    const nominees = [
      { nominee_kind: 'individual', nominee_name: 'Trần Văn Bình' },
      { nominee_kind: 'collective', nominee_name: 'Phòng Y tế' },
      { nominee_kind: 'individual', nominee_name: 'Đặng Văn Ánh' },
      { nominee_kind: 'collective', nominee_name: 'Ban Dân vận' },
      { nominee_kind: 'individual', nominee_name: 'Nguyễn Thị Anh' },
    ];
    expect(annexOrder(nominees).map((n) => n.nominee_name)).to.deep.equal(['Ban Dân vận', 'Phòng Y tế', 'Nguyễn Thị Anh', 'Đặng Văn Ánh', 'Trần Văn Bình']);
  });
});
