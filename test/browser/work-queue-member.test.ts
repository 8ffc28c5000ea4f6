// A committee member's work queue in a real browser (Chromium, axe-core): two submitted nominations
// wait on the home page as "2 Hồ sơ bạn chưa biểu quyết"; the member follows the pile to the round's
// submitted list, opens one and votes to approve, comes home to a count of 1 that now leads straight
// to the other nomination, approves it too, and the home page says nothing waits. Each vote is a row
// in votes and a "vote.cast" audit row. Done at desktop size and again at phone size, each page
// checked with axe-core and screenshotted to test/screenshots/work-queue-member-* (git-ignored).
import { expect } from 'chai';
import { createCommittee, individual, openRound, submitted } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { QueueWalk, SCREENS, useBrowserSession, vi } from '../support/work-queue.ts';

describe('work queue in a real browser: a committee member votes on what waits', function () {
  this.timeout(120_000);
  const browser = useBrowserSession();

  for (const screen of SCREENS) {
    it(`follows "Hồ sơ bạn chưa biểu quyết" from the home page and approves each nomination until nothing waits (${screen.name})`, async function () {
      const session = browser();
      const committee = await createCommittee({ members: 3 });
      const round = await openRound(committee, { title: 'Khen thưởng "Dân vận khéo" năm 2025' });
      const names = ['Lê Thị Thu Hà', 'Phạm Văn Đức'];
      const ids: number[] = [];
      for (const name of names) ids.push(await submitted(committee, individual(round.id, committee.department.id, { nomineeName: name })));
      const [first, second] = ids as [number, number];
      const member = committee.members[0]!;
      const walk = new QueueWalk(session, screen, 'work-queue-member');
      const { page } = session;

      /** On the nomination page: approve, and land on the round's submitted list with the vote shown. */
      async function approve(id: number, name: string, step: number): Promise<void> {
        expect(session.pathname()).to.equal(`/nominations/${id}`);
        expect(await session.text('article h1')).to.equal(name);
        expect(await page.$$eval('#field-vote label.radio', (labels) => labels.map((label) => (label.textContent ?? '').trim()))).to.deep.equal([vi('vote.approve'), vi('vote.reject')]);
        await walk.inspect(`0${step}-nomination-vote`);
        await page.click('#field-vote input[value="approve"]');
        const voted = await session.clickAndWait(`form[action="/nominations/${id}/votes"] button[type="submit"]`);
        expect(voted.status()).to.equal(200);
        expect(session.pathname()).to.equal(`/awards/${round.id}`);
        expect(await session.text('.flash')).to.equal(vi('awards.voteRecorded'));
        const myVote = await page.$eval(`table a[href="/nominations/${id}"]`, (link) => {
          const cells = link.closest('tr')!.querySelectorAll('td');
          return (cells[cells.length - 1]!.textContent ?? '').trim();
        });
        expect(myVote, 'the member\'s own vote in the list').to.equal(vi('vote.approve'));
        const audit = await db().selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', 'nomination').where('entity_id', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
        expect(audit).to.deep.equal({ action: 'vote.cast', actor_user_id: member.id });
      }

      await walk.run(async () => {
        await walk.signIn(member.username);
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('votes_pending', 2)]);
        await walk.inspect('01-home-two-to-vote');

        // Two in one round: the pile opens the round's submitted list.
        await walk.follow('votes_pending', 2);
        expect(session.pathname()).to.equal(`/awards/${round.id}`);
        expect(await page.$$eval('table tbody tr td:not(.table__pick) > a', (links) => links.map((link) => link.getAttribute('href')))).to.have.members(ids.map((id) => `/nominations/${id}`));
        await walk.inspect('02-round-to-vote');
        await session.clickAndWait(`table a[href="/nominations/${first}"]`);
        await approve(first, names[0]!, 3);

        // One left: the pile leads straight to it.
        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('votes_pending', 1)]);
        await walk.inspect('04-home-one-to-vote');
        expect(await walk.follow('votes_pending', 1)).to.equal(`/nominations/${second}`);
        await approve(second, names[1]!, 5);

        await walk.goHome();
        await walk.expectNothingWaits();
        await walk.inspect('06-home-nothing-waits');
      });

      const votes = await db().selectFrom('votes').select(['nomination_id', 'vote']).where('member_id', '=', member.id).orderBy('nomination_id').execute();
      expect(votes).to.deep.equal([{ nomination_id: first, vote: 'approve' }, { nomination_id: second, vote: 'approve' }]);
      const statuses = await db().selectFrom('nominations').select('status').where('id', 'in', ids).execute();
      expect(statuses.map((row) => row.status), 'a vote does not decide: the round is still open').to.deep.equal(['submitted', 'submitted']);
    });
  }
});
