// "Hồ sơ của tôi" (issue 18): an agency's own nominations across every round, newest first, by status
// and by year, with where each stands (returned and why, the decision, the body above); other units'
// dossiers are not there.
import { expect } from 'chai';
import { nomineeKey } from '../../server/awards/names.ts';
import { createCommittee, individual, openRound, submitted } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

/** Handlebars writes "=" in attributes as &#x3D;. */
const unescaped = (html: string) => html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
const listed = (html: string) => [...html.matchAll(/<td[^>]*><a href="\/nominations\/(\d+)">/g)].map((m) => Number(m[1]));

describe('awards pages: Hồ sơ của tôi', function () {
  this.timeout(60_000);

  it('lists the unit\'s dossiers of every round newest first, with the return reason, filtered by status and year, and nothing of another unit', async () => {
    const committee = await createCommittee();
    const thisYear = await openRound(committee, { title: 'Đợt xét năm nay' });
    const lastYear = await openRound(committee, { title: 'Đợt xét năm trước' });
    await db().updateTable('award_rounds').set({ year: 2024 }).where('id', '=', lastYear.id).execute();
    const older = await submitted(committee, individual(lastYear.id, committee.department.id, { nomineeName: 'Phùng Thị Lệ' }));
    const returned = await submitted(committee, individual(thisYear.id, committee.department.id, { nomineeName: 'Quách Văn Tâm' }));
    expect((await api('POST', `/nominations/${returned}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu biên bản họp xét của đơn vị' } })).status).to.equal(200);
    const newest = await submitted(committee, individual(thisYear.id, committee.department.id, { nomineeName: 'Đàm Thị Hoa' }));
    const elsewhere = await submitted(committee, individual(thisYear.id, committee.otherDepartment.id, { nomineeName: 'Người của đơn vị khác' }), committee.otherAgency.token);

    const agency = await signedIn(committee.agency);
    const page = await agency.get('/nominations');
    expect(page.status).to.equal(200);
    expect(page.html).to.include('<h1>Hồ sơ của tôi</h1>');
    expect(listed(page.html)).to.deep.equal([newest, returned, older]);
    expect(page.html).to.include('Thiếu biên bản họp xét của đơn vị').and.include('Đợt xét năm trước').and.not.include('Người của đơn vị khác');
    expect(listed(page.html)).not.to.include(elsewhere);
    expect(unescaped(page.html)).to.include('href="/nominations?status=returned"');

    expect(listed((await agency.get('/nominations?status=returned')).html)).to.deep.equal([returned]);
    expect(listed((await agency.get('/nominations?year=2024')).html)).to.deep.equal([older]);
    expect(listed((await agency.get('/nominations?year=2024&status=returned')).html)).to.deep.equal([]);
    expect((await agency.get('/nominations?status=nonsense')).status).to.equal(422);
    const api2024 = await api('GET', '/nominations?year=2024', { token: committee.agency.token });
    expect(api2024.body.items.map((n: { id: number; roundYear: number }) => [n.id, n.roundYear])).to.deep.equal([[older, 2024]]);
    expect((await agency.get('/awards')).html, 'linked from the awards list').to.include('href="/nominations"');
  });

  it('pages 50 at a time, newest first, the second page going on from the first', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const creator = (await db().selectFrom('users').select('id').where('username', '=', committee.agency.username).executeTakeFirstOrThrow()).id;
    const rows = Array.from({ length: 53 }, (_, i) => {
      const name = `Tập thể số ${i + 1}`;
      return { round_id: round.id, unit_id: committee.department.id, nominee_kind: 'collective' as const, nominee_name: name, nominee_key: nomineeKey(name), achievement: 'Thành tích xuất sắc', status: 'draft' as const, created_by: creator };
    });
    const ids = (await db().insertInto('nominations').values(rows).returning('id').execute()).map((r) => r.id).sort((a, b) => b - a);
    const agency = await signedIn(committee.agency);
    const first = await agency.get('/nominations');
    expect(listed(first.html)).to.deep.equal(ids.slice(0, 50));
    expect(first.html).to.include('Hiển thị 1–50 trong 53 hồ sơ');
    const next = /href="(\/nominations\?cursor=[^"]+)" rel="next"/.exec(unescaped(first.html))?.[1];
    expect(next).to.be.a('string');
    const second = await agency.get(next!);
    expect(listed(second.html)).to.deep.equal(ids.slice(50));
    expect(second.html).to.include('Hiển thị 51–53 trong 53 hồ sơ');
  });

  it('is the agency\'s page: a committee member or a secretary is refused (403)', async () => {
    const committee = await createCommittee();
    expect((await (await signedIn(committee.members[0]!)).get('/nominations')).status).to.equal(403);
    expect((await (await signedIn(committee.secretary)).get('/nominations')).status).to.equal(403);
  });
});
