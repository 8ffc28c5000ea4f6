// The position warning: a clerk who types the unit into the position ("Phó Giám đốc Sở Giáo dục và
// Đào tạo" for a nominee of that department) would get "Chức vụ, Đơn vị, Đơn vị" on the certificate.
// The API refuses it with 422 position_repeats_unit until positionRepeatsUnit confirms it; the page
// shows the warning with a "Vẫn giữ như vậy" box.
import { expect } from 'chai';
import { TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee, individual, openRound, type Committee } from '../support/awards.ts';
import { db } from '../support/context.ts';

describe('a position that repeats the unit\'s name', () => {
  let committee: Committee;
  let roundId: number;

  before(async () => {
    committee = await createCommittee();
    roundId = (await openRound(committee)).id;
  });

  it('is refused by the API with 422 position_repeats_unit (whatever the case and diacritics), and kept when confirmed', async () => {
    const body = individual(roundId, committee.department.id, { nomineeName: 'Cao Thị Mỹ Dung', position: 'Phó Giám đốc so giao duc va dao tao' });
    const warned = await api('POST', '/nominations', { token: committee.agency.token, body });
    expect(warned.status).to.equal(422);
    expect(warned.body.error.details).to.deep.equal([{ field: 'positionRepeatsUnit', reason: 'position_repeats_unit', message: 'Chức vụ đã chứa tên đơn vị "Sở Giáo dục và Đào tạo"; trên bằng khen sẽ in hai lần. Sửa chức vụ, hoặc đánh dấu "Vẫn giữ như vậy".' }]);
    expect(await db().selectFrom('nominations').select('id').where('nominee_name', '=', 'Cao Thị Mỹ Dung').execute()).to.deep.equal([]);
    const kept = await api('POST', '/nominations', { token: committee.agency.token, body: { ...body, positionRepeatsUnit: true } });
    expect(kept.status).to.equal(201);
    expect(kept.body.position).to.equal('Phó Giám đốc so giao duc va dao tao');
    // An edit that leaves the position alone is not asked again; a new position that repeats the unit is.
    expect((await api('PATCH', `/nominations/${kept.body.id}`, { token: committee.agency.token, body: { birthYear: 1979 } })).status).to.equal(200);
    const again = await api('PATCH', `/nominations/${kept.body.id}`, { token: committee.agency.token, body: { position: 'Giám đốc Sở Giáo dục và Đào tạo' } });
    expect(again.status).to.equal(422);
    expect(again.body.error.details[0].reason).to.equal('position_repeats_unit');
    expect((await api('PATCH', `/nominations/${kept.body.id}`, { token: committee.agency.token, body: { position: 'Giám đốc' } })).status).to.equal(200);
  });

  it('leaves plain positions and collectives alone', async () => {
    const plain = await api('POST', '/nominations', { token: committee.agency.token, body: individual(roundId, committee.department.id, { nomineeName: 'Mai Văn Lộc', position: 'Trưởng phòng Giáo dục Trung học' }) });
    expect(plain.status).to.equal(201);
  });

  it('shows the warning on the nomination form with a "Vẫn giữ như vậy" box that lets it through', async () => {
    const browser = new Browser();
    await browser.login(committee.agency.username, TEST_PASSWORD);
    const form = await browser.get(`/awards/${roundId}/nominations/new`);
    expect(form.status).to.equal(200);
    expect(form.html).to.not.contain('name="positionRepeatsUnit"');
    const fields = {
      roundId: String(roundId), nomineeKind: 'individual', unitId: String(committee.department.id), nomineeName: 'Hà Thị Thanh Xuân', position: 'Chuyên viên Sở Giáo dục và Đào tạo',
      gender: 'female', birthYear: '1988', achievement: 'Đã có thành tích xuất sắc trong công tác dân vận chính quyền năm 2025',
    };
    const warned = await browser.post(`/awards/${roundId}/nominations`, fields);
    expect(warned.status).to.equal(422);
    expect(warned.html).to.contain('id="error-positionRepeatsUnit"').and.contain('trên bằng khen sẽ in hai lần').and.contain('name="positionRepeatsUnit"').and.contain('Vẫn giữ như vậy');
    expect(warned.html, 'what was typed is kept').to.contain('value="Chuyên viên Sở Giáo dục và Đào tạo"');
    const kept = await browser.post(`/awards/${roundId}/nominations`, { ...fields, positionRepeatsUnit: 'on' });
    expect(kept.status).to.equal(303);
  });
});
