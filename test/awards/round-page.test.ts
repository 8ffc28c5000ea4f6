// The round page on a round of many nominations: one page of a tab at a time with "Trang sau", the
// tabs counted by status, a cursor that is not ours refused without a 500, and the forward form capped.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { Browser } from '../support/http.ts';
import { createCommittee, openRound, type Committee } from '../support/awards.ts';
import { approvedBelow, createLevels, forward } from '../support/levels.ts';
import { nomineeKey } from '../../server/awards/names.ts';
import { bodyName } from '../../server/units/names.ts';
import { encodeCursor } from '../../server/web/pagination.ts';

async function loggedIn(username: string): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.login(username, TEST_PASSWORD);
  expect(response.status).to.equal(303);
  return browser;
}

/** Nominations stored as the API would store them, straight in SQL (as issueLargeDecision does). */
async function insertNominations(committee: Committee, roundId: number, count: number, status: 'draft' | 'submitted' | 'returned' | 'approved', prefix: string): Promise<number[]> {
  const rows = Array.from({ length: count }, (_, i) => {
    const name = `${prefix} ${i + 1}`;
    return {
      round_id: roundId, unit_id: committee.department.id, nominee_kind: 'individual' as const, nominee_name: name, nominee_key: nomineeKey(name),
      position: 'Chuyên viên', gender: 'male' as const, birth_year: 1985, achievement: 'Đã có thành tích xuất sắc trong xây dựng mô hình "Dân vận khéo".',
      status, created_by: committee.agency.id,
      submitted_at: status === 'draft' ? null : new Date(),
      ...(status === 'returned' ? { return_reason: 'Thiếu biên bản họp xét', returned_at: new Date() } : {}),
      ...(status === 'approved' ? { approvals: 3, rejections: 0, eligible_voters: 3, decided_at: new Date() } : {}),
    };
  });
  return (await db().insertInto('nominations').values(rows).returning('id').execute()).map((r) => r.id).sort((a, b) => a - b);
}

const idsOn = (html: string) => [...html.matchAll(/href="\/nominations\/(\d+)"/g)].map((m) => Number(m[1]));
const unescape = (href: string) => href.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
const nextPageOf = (html: string) => {
  const match = /<a href="([^"]+)" rel="next">/.exec(html);
  return match ? unescape(match[1]!) : null;
};

describe('awards pages: the round page of a large round', () => {
  it('shows 50 rows of a tab a page, "Trang sau" reaching the rest with no gaps or repeats, and tabs counted by status', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const submitted = await insertNominations(committee, round.id, 120, 'submitted', 'Người được đề nghị');
    await insertNominations(committee, round.id, 7, 'returned', 'Hồ sơ trả lại');
    await insertNominations(committee, round.id, 3, 'draft', 'Bản nháp'); // the secretariat does not see drafts
    const secretary = await loggedIn(committee.secretary.username);

    const first = await secretary.get(`/awards/${round.id}?status=submitted`);
    expect(first.status).to.equal(200);
    expect(first.html).to.include('Tổng số: 127').and.include('(120)').and.include('(7)');
    expect(first.html).to.include('Hiển thị 1–50 trong 120 hồ sơ');
    expect(first.html).not.to.include('Trang đầu');
    const seen = idsOn(first.html);
    expect(seen).to.have.length(50);

    let next = nextPageOf(first.html);
    const lines: string[] = [];
    while (next) {
      expect(next).to.match(new RegExp(`^/awards/${round.id}\\?status=submitted&cursor=[A-Za-z0-9_-]+$`));
      const page = await secretary.get(next);
      expect(page.status).to.equal(200);
      expect(page.html).to.include('Trang đầu');
      lines.push(/Hiển thị [^<]+/.exec(page.html)![0].trim());
      seen.push(...idsOn(page.html));
      next = nextPageOf(page.html);
    }
    expect(lines).to.deep.equal(['Hiển thị 51–100 trong 120 hồ sơ', 'Hiển thị 101–120 trong 120 hồ sơ']);
    expect(seen, 'every submitted nomination once, in id order').to.deep.equal(submitted);

    const all = await secretary.get(`/awards/${round.id}`);
    expect(idsOn(all.html)).to.have.length(50);
    expect(all.html).to.include('Hiển thị 1–50 trong 127 hồ sơ');
    const returned = await secretary.get(`/awards/${round.id}?status=returned`);
    expect(idsOn(returned.html)).to.have.length(7);
    expect(nextPageOf(returned.html)).to.equal(null);

    await secretary.get('/language/en');
    const en = await secretary.get(`/awards/${round.id}?status=submitted&utm=kept`); // a key of no concern passes
    expect(en.status).to.equal(200);
    expect(en.html).to.include('Showing 1–50 of 120 nominations').and.include('Next page');
  });

  it('names the issuing body as it signs ("Ủy ban nhân dân tỉnh …"), not by its territory', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const page = await (await loggedIn(committee.secretary.username)).get(`/awards/${round.id}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.include(`<dd>${bodyName(committee.province.name, 'province')}</dd>`);
  });

  it('answers a cursor that is not ours with 400 or 422, never 500', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    await insertNominations(committee, round.id, 3, 'submitted', 'Người thử');
    const secretary = await loggedIn(committee.secretary.username);
    for (const [cursor, status] of [['abc!', 422], [encodeCursor(-1), 422], [encodeCursor(1e308), 422], [encodeCursor('x'), 400], [encodeCursor(0), 400], ['bm90IGpzb24', 422]] as const) {
      const answer = await secretary.get(`/awards/${round.id}?status=submitted&cursor=${cursor}`);
      expect(answer.status, cursor).to.equal(status);
    }
    expect((await secretary.get(`/awards/${round.id}?status=bogus`)).status).to.equal(422);
  });

  it('caps the forward list at 200 with a note, oldest first, and keeps decide and reopen without loading the round', async () => {
    const levels = await createLevels();
    const { roundId, ids: [firstId] } = await approvedBelow(levels.lower, ['Nguyễn Văn Đầu']);
    const more = await insertNominations(levels.lower, roundId, 204, 'approved', 'Người được thông qua');
    await openRound(levels.upper);
    const secretary = await loggedIn(levels.lower.secretary.username);

    const page = await secretary.get(`/awards/${roundId}`);
    expect(page.status).to.equal(200);
    const boxes = [...page.html.matchAll(/name="nominationIds"[^>]*value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(boxes).to.deep.equal([firstId!, ...more.slice(0, 199)]);
    expect(page.html).to.include('Đang hiện 200 trong 205 hồ sơ đã thông qua chưa chuyển lên');
    expect(page.html).to.include(`/awards/${roundId}/decisions/new`).and.include(`/awards/${roundId}/reopen`).and.include(`/awards/${roundId}/dossier.zip`);

    expect((await forward(levels.lower.secretary.token, firstId!, (await db().selectFrom('award_rounds').select('id').where('issuing_unit_id', '=', levels.upper.province.id).where('status', '=', 'open').executeTakeFirstOrThrow()).id)).status).to.equal(201);
    const after = await secretary.get(`/awards/${roundId}`);
    const left = [...after.html.matchAll(/name="nominationIds"[^>]*value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(left).to.deep.equal(more.slice(0, 200));
    expect(after.html).to.include('Đang hiện 200 trong 204 hồ sơ');
    expect(after.html, 'a round with a nomination sent up is not reopened').not.to.include(`/awards/${roundId}/reopen`);
  });
});
