// A notification and its event commit or roll back together: written inside the event's own
// transaction, a failure after the insert leaves neither, and a failing insert undoes the event.
import { expect } from 'chai';
import { sql } from 'kysely';
import { notify } from '../../server/notifications/service.ts';
import { createCommittee, individual, openRound, submitted } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';

const countFor = async (userId: number) => Number((await db().selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

describe('notifications: one transaction with the event', function () {
  this.timeout(60_000);

  it('leaves no notification when the event\'s transaction fails after writing it', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Đinh Văn Hoàn' }));
    let written = 0;
    const failure = await db().transaction().execute(async (trx) => {
      await trx.updateTable('nominations').set({ status: 'returned', return_reason: 'Thử hoàn tác', returned_at: new Date() }).where('id', '=', id).execute();
      written = await notify(trx, { kind: 'nominations_returned', nominationIds: [id], actorId: committee.secretary.id });
      // Seen inside the transaction...
      expect(Number((await trx.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', committee.agency.id).executeTakeFirstOrThrow()).n)).to.equal(1);
      throw new Error('the event fails after its notification was written');
    }).catch((error: Error) => error);
    expect(failure).to.be.instanceOf(Error);
    expect(written).to.equal(1);
    // ...and gone with it, the event too.
    expect(await countFor(committee.agency.id)).to.equal(0);
    expect((await db().selectFrom('nominations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).to.equal('submitted');
    expect((await api('GET', '/notifications', { token: committee.agency.token })).body.total).to.equal(0);
  });

  it('undoes the return itself (status, audit row) when its notification cannot be written', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Mai Thị Lỗi' }));
    // A fault in the notification insert, for this one reader only (plpgsql, both backends).
    const fn = `refuse_notification_${committee.agency.id}`;
    await sql.raw(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'notification refused for the test'; END $$`).execute(db());
    await sql.raw(`CREATE TRIGGER ${fn} BEFORE INSERT ON notifications FOR EACH ROW WHEN (NEW.user_id = ${committee.agency.id}) EXECUTE FUNCTION ${fn}()`).execute(db());
    try {
      const answer = await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu biên bản họp xét' } });
      expect(answer.status).to.equal(500);
    } finally {
      await sql.raw(`DROP TRIGGER ${fn} ON notifications`).execute(db());
      await sql.raw(`DROP FUNCTION ${fn}()`).execute(db());
    }
    const nomination = await db().selectFrom('nominations').select(['status', 'return_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(nomination).to.deep.equal({ status: 'submitted', return_reason: null });
    expect((await auditRows('nomination', id)).map((row) => row.action)).to.not.include('nomination.return');
    expect(await countFor(committee.agency.id)).to.equal(0);

    // With the fault gone, the same return goes through with its notification.
    expect((await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu biên bản họp xét' } })).status).to.equal(200);
    expect(await countFor(committee.agency.id)).to.equal(1);
  });
});
