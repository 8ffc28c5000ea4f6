// The committee secretary's work queue in a real browser (Chromium, axe-core). One round is past its
// closing date with a nomination two members approved; another, still open, holds two submitted
// nominations. The home page shows "1 Đợt khen thưởng đã hết hạn nộp hồ sơ, cần kết thúc biểu quyết"
// and "3 Hồ sơ đang chờ thẩm định". The secretary closes the round from its pile (the confirmation
// box ticked), which turns the review pile to 2 and brings "1 Đợt khen thưởng chờ ban hành quyết định";
// returns one of the open round's nominations with a reason from the review pile (2 -> 1); then fills
// the decision form from its pile and issues the decision (the pile goes). Each step is checked in the
// database (statuses, the reason, the decision and its certificates) and its audit row. A commune's
// secretariat, whose forwarded nomination the province returned, follows "1 Hồ sơ bị trả lại cần bổ
// sung" to the twin, reads the reason, fixes it and sends it again. Done at desktop size and again
// at phone size, each page checked with axe-core and screenshotted to
// test/screenshots/work-queue-secretary-* and work-queue-lower-secretary-* (git-ignored).
import { expect } from 'chai';
import { createCommittee, individual, inDays, openRound, submitted, voteAll, type Committee } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { api } from '../support/http.ts';
import { approvedBelow, createLevels, forward } from '../support/levels.ts';
import { QueueWalk, SCREENS, useBrowserSession, vi } from '../support/work-queue.ts';

/** 2025-07-01 -> 01/07/2025, as the forms take dates. */
const dmy = (iso: string) => iso.split('-').reverse().join('/');

describe('work queue in a real browser: the committee\'s secretary closes, reviews and decides', function () {
  this.timeout(180_000);
  const browser = useBrowserSession();

  /** A round past its closing date with one nomination approved by two members, and an open round with two submitted. */
  async function secretariatDesk(committee: Committee) {
    const due = await openRound(committee, { title: 'Khen thưởng "Dân vận khéo" đợt 1 năm 2025' });
    const approved = await submitted(committee, individual(due.id, committee.department.id, { nomineeName: 'Trịnh Thị Thanh Hương' }));
    await voteAll(committee, approved, ['approve', 'approve']);
    await db().updateTable('award_rounds').set({ closes_on: inDays(-1) }).where('id', '=', due.id).execute();
    const open = await openRound(committee, { title: 'Khen thưởng "Dân vận khéo" đợt 2 năm 2025' });
    const toReturn = await submitted(committee, individual(open.id, committee.department.id, { nomineeName: 'Bùi Văn Khải' }));
    const toKeep = await submitted(committee, individual(open.id, committee.department.id, { nomineeName: 'Đinh Thị Lụa' }));
    return { due, approved, open, toReturn, toKeep };
  }

  const lastAudit = (entityType: string, id: number) =>
    db().selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', entityType).where('entity_id', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow();

  for (const screen of SCREENS) {
    it(`closes the round past its date, returns a nomination and issues the decision, each from its pile on the home page (${screen.name})`, async function () {
      const session = browser();
      const committee = await createCommittee({ members: 3 });
      const { due, approved, open, toReturn, toKeep } = await secretariatDesk(committee);
      const secretary = committee.secretary;
      const walk = new QueueWalk(session, screen, 'work-queue-secretary');
      const { page } = session;
      const returnReason = 'Thiếu xác nhận của thủ trưởng đơn vị vào báo cáo thành tích; đề nghị bổ sung.';

      await walk.run(async () => {
        await walk.signIn(secretary.username);
        expect(await walk.queueTexts(), 'most urgent first').to.deep.equal([QueueWalk.line('rounds_to_close', 1), QueueWalk.line('nominations_to_review', 3)]);
        await walk.inspect('01-home-close-and-review');

        // The round past its closing date: closing asks only for the confirmation (no early reason).
        expect(await walk.follow('rounds_to_close', 1)).to.equal(`/awards/${due.id}`);
        expect(await session.text('#close h2')).to.equal(vi('awards.round.close'));
        expect(await page.$('#field-early'), 'past its date: not an early close').to.equal(null);
        await page.click('#field-confirmed');
        await walk.inspect('02-round-to-close');
        const closed = await session.clickAndWait(`form[action="/awards/${due.id}/close"] button[type="submit"]`);
        expect(closed.status()).to.equal(200);
        expect(session.pathname()).to.equal(`/awards/${due.id}`);
        expect(await session.text('.flash')).to.equal(vi('awards.roundClosedFlash', { approved: 1, rejected: 0 }));
        expect(await session.text('article .badge')).to.equal(vi('roundStatus.closed'));
        expect((await db().selectFrom('award_rounds').select('status').where('id', '=', due.id).executeTakeFirstOrThrow()).status).to.equal('closed');
        expect((await db().selectFrom('nominations').select('status').where('id', '=', approved).executeTakeFirstOrThrow()).status).to.equal('approved');
        expect(await lastAudit('award_round', due.id)).to.deep.equal({ action: 'round.close', actor_user_id: secretary.id });

        // Its nomination leaves the review pile; its decision now waits.
        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('nominations_to_review', 2), QueueWalk.line('decisions_to_issue', 1)]);
        await walk.inspect('03-home-review-and-decide');

        // The review pile, all in the open round now: its submitted list; one is returned with a reason.
        await walk.follow('nominations_to_review', 2);
        expect(session.pathname()).to.equal(`/awards/${open.id}`);
        expect(await page.$$eval('table tbody tr td:first-child a', (links) => links.map((link) => link.getAttribute('href')))).to.have.members([toReturn, toKeep].map((id) => `/nominations/${id}`));
        await walk.inspect('04-round-to-review');
        await session.clickAndWait(`table a[href="/nominations/${toReturn}"]`);
        expect(await session.text('article h1')).to.equal('Bùi Văn Khải');
        await session.fillField('reason', returnReason);
        await walk.inspect('05-nomination-return');
        const returned = await session.clickAndWait(`form[action="/nominations/${toReturn}/return"] button[type="submit"]`);
        expect(returned.status()).to.equal(200);
        expect(session.pathname()).to.equal(`/awards/${open.id}`);
        expect(await session.text('.flash')).to.equal(vi('awards.nominationReturned', { name: 'Bùi Văn Khải' }));
        expect(await page.$(`table a[href="/nominations/${toReturn}"]`), 'out of the submitted list').to.equal(null);
        const stored = await db().selectFrom('nominations').select(['status', 'return_reason']).where('id', '=', toReturn).executeTakeFirstOrThrow();
        expect(stored).to.deep.equal({ status: 'returned', return_reason: returnReason });
        expect(await lastAudit('nomination', toReturn)).to.deep.equal({ action: 'nomination.return', actor_user_id: secretary.id });

        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('nominations_to_review', 1), QueueWalk.line('decisions_to_issue', 1)]);

        // The decision of the closed round: the form, every confirmation box it has ticked, issued.
        expect(await walk.follow('decisions_to_issue', 1)).to.equal(`/awards/${due.id}/decisions/new`);
        expect(await session.text('h1')).to.equal(vi('awards.decision.new'));
        const candidates = await page.$$eval('input[name="nominationIds"]', (boxes) => boxes.map((box) => ({ value: (box as HTMLInputElement).value, checked: (box as HTMLInputElement).checked })));
        expect(candidates, 'the approved nomination, ticked').to.deep.equal([{ value: String(approved), checked: true }]);
        await session.fillField('signedOn', dmy(inDays(0)));
        await session.fillField('signerName', 'Hồ Văn Mừng');
        await session.fillField('signerTitle', 'Phó Chủ tịch Ủy ban nhân dân tỉnh');
        const form = `form[action="/awards/${due.id}/decisions"]`;
        for (const box of await page.$$(`${form} input[name="confirmed"]`)) {
          if (!(await box.evaluate((input) => (input as HTMLInputElement).checked))) await box.click();
        }
        await walk.inspect('06-decision-form');
        const issued = await session.clickAndWait(`${form} button[type="submit"]`);
        expect(issued.status()).to.equal(200);
        const match = /^\/decisions\/(\d+)$/.exec(session.pathname());
        expect(match, session.pathname()).to.not.equal(null);
        const decisionId = Number(match![1]);
        const decision = await db().selectFrom('decisions').select(['round_id', 'signer_name', 'signed_on']).where('id', '=', decisionId).executeTakeFirstOrThrow();
        expect(decision).to.deep.include({ round_id: due.id, signer_name: 'Hồ Văn Mừng' });
        const certificates = await db().selectFrom('certificates').select(['nomination_id', 'status']).where('decision_id', '=', decisionId).execute();
        expect(certificates).to.deep.equal([{ nomination_id: approved, status: 'valid' }]);
        expect((await db().selectFrom('nominations').select('decision_id').where('id', '=', approved).executeTakeFirstOrThrow()).decision_id).to.equal(decisionId);
        expect(await lastAudit('decision', decisionId)).to.deep.equal({ action: 'decision.issue', actor_user_id: secretary.id });
        await walk.inspect('07-decision-issued');

        // What is left: the open round's one nomination to review.
        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('nominations_to_review', 1)]);
        await walk.inspect('08-home-one-to-review');
      });
    });
  }

  for (const screen of SCREENS) {
    it(`lets a commune's secretariat follow "Hồ sơ bị trả lại cần bổ sung" to the twin the province returned, fix it and send it again (${screen.name})`, async function () {
      const session = browser();
      const levels = await createLevels();
      const upperRound = await openRound(levels.upper, { title: 'Khen thưởng "Dân vận khéo" cấp tỉnh năm 2025' });
      const { ids: [lowerId] } = await approvedBelow(levels.lower, ['Võ Thị Năm']);
      const twin = (await forward(levels.lower.secretary.token, lowerId!, upperRound.id)).body.id as number;
      const reason = 'Ghi rõ chức vụ hiện tại của bà Võ Thị Năm.';
      expect((await api('POST', `/nominations/${twin}/return`, { token: levels.upper.secretary.token, body: { reason } })).status).to.equal(200);
      const walk = new QueueWalk(session, screen, 'work-queue-lower-secretary');
      const position = 'Chủ tịch Hội Liên hiệp Phụ nữ xã';

      await walk.run(async () => {
        await walk.signIn(levels.lower.secretary.username);
        // The commune's own round waits for its decision too: only the returned twin is done here.
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('decisions_to_issue', 1), QueueWalk.line('nominations_returned', 1)]);
        await walk.inspect('01-home-twin-returned');

        expect(await walk.follow('nominations_returned', 1)).to.equal(`/nominations/${twin}`);
        expect(await session.text('article .badge')).to.equal(vi('nominationStatus.returned'));
        expect(await session.text('article .alert')).to.equal(vi('awards.returnedBecause', { reason }));
        await walk.inspect('02-twin-returned');
        await session.clickAndWait(`a[href="/nominations/${twin}/edit"]`);
        await session.fillField('position', position);
        await walk.inspect('03-twin-edit');
        const saved = await session.clickAndWait(`form[action="/nominations/${twin}"] button[type="submit"]`);
        expect(saved.status()).to.equal(200);
        expect(await session.text('#send-again h2')).to.equal(vi('awards.forward.again'));
        await session.clickAndWait('#send-again button[type="submit"]');
        expect(await session.text('.flash')).to.equal(vi('awards.forward.sentAgain', { name: 'Võ Thị Năm', title: 'Khen thưởng "Dân vận khéo" cấp tỉnh năm 2025' }));
        const stored = await db().selectFrom('nominations').select(['status', 'position', 'return_reason']).where('id', '=', twin).executeTakeFirstOrThrow();
        expect(stored).to.deep.equal({ status: 'submitted', position, return_reason: null });
        expect(await lastAudit('nomination', twin)).to.deep.equal({ action: 'nomination.received_again', actor_user_id: levels.lower.secretary.id });

        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('decisions_to_issue', 1)]);
        await walk.inspect('04-home-twin-sent');
      });
    });
  }
});
