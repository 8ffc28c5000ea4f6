// The agency's work queue in a real browser (Chromium, axe-core): two nominations the committee's
// secretary returned wait on the home page as "2 Hồ sơ bị trả lại cần bổ sung"; the agency follows
// the pile to the round's returned list, opens each, reads why it came back, fixes the field named
// and submits it again ("Nộp hồ sơ"), the second straight from the queue once it is the only one
// left; the home page then says nothing waits. Done at desktop size and again at phone size, each
// page checked with axe-core and screenshotted to test/screenshots/work-queue-agency-* (git-ignored).
import { expect } from 'chai';
import { createCommittee, individual, openRound, submitted, type Committee } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { api } from '../support/http.ts';
import { QueueWalk, SCREENS, useBrowserSession, vi } from '../support/work-queue.ts';

describe('work queue in a real browser: the agency fixes and resubmits its returned nominations', function () {
  this.timeout(120_000);
  const browser = useBrowserSession();

  /** A round with two of the department's nominations, each returned by the secretary with a reason. */
  async function twoReturned(committee: Committee) {
    const round = await openRound(committee, { title: 'Khen thưởng "Dân vận khéo" năm 2025' });
    const returned = [
      { name: 'Đặng Văn Ánh', field: 'position', wrong: 'Chuyen vien', right: 'Chuyên viên Phòng Giáo dục Trung học', reason: 'Chức vụ ghi không dấu; đề nghị ghi đầy đủ chức vụ hiện tại.' },
      { name: 'Nguyễn Thị Hồng Nhung', field: 'position', wrong: 'PTP', right: 'Phó Trưởng phòng Tổ chức cán bộ', reason: 'Đề nghị ghi chức vụ đầy đủ, không viết tắt.' },
    ];
    const ids: number[] = [];
    for (const nominee of returned) {
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: nominee.name, position: nominee.wrong }));
      const answer = await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: nominee.reason } });
      expect(answer.status, 'returned').to.equal(200);
      ids.push(id);
    }
    return { round, returned: returned.map((nominee, index) => ({ ...nominee, id: ids[index]! })) };
  }

  for (const screen of SCREENS) {
    it(`follows "Hồ sơ bị trả lại cần bổ sung" from the home page, fixes each and submits it again until nothing waits (${screen.name})`, async function () {
      const session = browser();
      const committee = await createCommittee({ members: 3 });
      const { round, returned } = await twoReturned(committee);
      const walk = new QueueWalk(session, screen, 'work-queue-agency');
      const { page } = session;

      /** On the nomination page: read the reason, edit the field, save, "Nộp hồ sơ". */
      async function fixAndResubmit(nominee: (typeof returned)[number], step: number): Promise<void> {
        expect(session.pathname()).to.equal(`/nominations/${nominee.id}`);
        expect(await session.text('article h1')).to.equal(nominee.name);
        expect(await session.text('article .badge')).to.equal(vi('nominationStatus.returned'));
        expect(await session.text('article .alert'), 'the reason it came back').to.equal(vi('awards.returnedBecause', { reason: nominee.reason }));
        await walk.inspect(`0${step}-nomination-returned`);

        await session.clickAndWait(`a[href="/nominations/${nominee.id}/edit"]`);
        expect(await session.text('h1')).to.equal(vi('awards.editNomination'));
        expect(await page.$eval(`#field-${nominee.field}`, (input) => (input as HTMLInputElement).value)).to.equal(nominee.wrong);
        await walk.inspect(`0${step + 1}-nomination-edit`);
        await session.fillField(nominee.field, nominee.right);
        const saved = await session.clickAndWait(`form[action="/nominations/${nominee.id}"] button[type="submit"]`);
        expect(saved.status()).to.equal(200);
        expect(session.pathname()).to.equal(`/nominations/${nominee.id}`);
        expect(await session.text('.flash')).to.equal(vi('awards.nominationUpdated', { name: nominee.name }));

        expect(await session.text(`form[action="/nominations/${nominee.id}/submit"] button`)).to.equal(vi('awards.submit'));
        const sent = await session.clickAndWait(`form[action="/nominations/${nominee.id}/submit"] button[type="submit"]`);
        expect(sent.status()).to.equal(200);
        expect(await session.text('.flash')).to.equal(vi('awards.nominationSubmitted', { name: nominee.name }));
        expect(await session.text('article .badge')).to.equal(vi('nominationStatus.submitted'));
        expect(await page.$('article .alert'), 'the reason is gone with the return').to.equal(null);
        const stored = await db().selectFrom('nominations').select(['status', 'position', 'return_reason']).where('id', '=', nominee.id).executeTakeFirstOrThrow();
        expect(stored).to.deep.equal({ status: 'submitted', position: nominee.right, return_reason: null });
        const audit = await db().selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', 'nomination').where('entity_id', '=', String(nominee.id)).orderBy('id').execute();
        expect(audit.slice(-2), 'the edit and the submission are on record, by the agency').to.deep.equal([
          { action: 'nomination.update', actor_user_id: committee.agency.id },
          { action: 'nomination.submit', actor_user_id: committee.agency.id },
        ]);
      }

      await walk.run(async () => {
        await walk.signIn(committee.agency.username);
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('nominations_returned', 2)]);
        await walk.inspect('01-home-two-returned');

        // Two in one round: the pile opens the round's returned list.
        await walk.follow('nominations_returned', 2);
        expect(session.pathname()).to.equal(`/awards/${round.id}`);
        expect(await page.$eval(`nav.tabs a[href="/awards/${round.id}?status=returned"]`, (tab) => tab.getAttribute('aria-current'))).to.equal('page');
        expect(await page.$$eval('table tbody tr td:first-child a', (links) => links.map((link) => link.getAttribute('href')))).to.have.members(returned.map((n) => `/nominations/${n.id}`));
        await walk.inspect('02-round-returned');

        const [first, second] = returned as [(typeof returned)[number], (typeof returned)[number]];
        await session.clickAndWait(`table a[href="/nominations/${first.id}"]`);
        await fixAndResubmit(first, 3);

        // One left: the pile leads straight to it.
        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('nominations_returned', 1)]);
        await walk.inspect('05-home-one-returned');
        expect(await walk.follow('nominations_returned', 1)).to.equal(`/nominations/${second.id}`);
        await fixAndResubmit(second, 6);

        await walk.goHome();
        await walk.expectNothingWaits();
        await walk.inspect('08-home-nothing-waits');
      });
    });
  }
});
