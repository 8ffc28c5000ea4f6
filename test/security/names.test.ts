// Disguised names: each hidden character, stack of marks or look-alike letter below once made
// "Lê Thị Ánh Tuyết" a second nominee in the same round. Names refuse them (422 invalid_characters)
// wherever a name is typed (the duplicate key that folds them out: test/unit/security/nominee-key.test.ts).
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { createCommittee, individual, openRound } from '../support/awards.ts';
import { createUnit, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { DISGUISES, NAME } from '../support/disguises.ts';

describe('names: hidden characters, stacked marks and look-alike letters', () => {
  it('refuses each disguise in a nominee name with 422 invalid_characters and writes nothing', async function () {
    this.timeout(120_000);
    const committee = await createCommittee({ members: 1 });
    const round = await openRound(committee);
    const failures: string[] = [];
    for (const [what, name] of Object.entries(DISGUISES)) {
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: name }) });
      const detail = response.body?.error?.details?.find((d: { field: string }) => d.field === 'nomineeName');
      if (response.status !== 422 || detail?.reason !== 'invalid_characters') failures.push(`${what}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    }
    expect(failures).to.deep.equal([]);
    const rows = await db().selectFrom('nominations').select('id').where('round_id', '=', round.id).execute();
    expect(rows).to.have.length(0);
    const plain = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: NAME.normalize('NFD') }) });
    expect(plain.status, 'the name itself, even in NFD').to.equal(201);
  });

  it('refuses a disguised user full name, unit name and signer name with the same reason', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const unit = await createUnit();
    const user = await api('POST', '/users', { token: admin.token, body: { username: `u${uniqueSuffix().toLowerCase()}`, password: 'Mật-khẩu-dài-đủ-1', fullName: 'Lê Thị Ánh Tuy\u00ADết', role: 'agency', unitId: unit.id } });
    expect(user.status).to.equal(422);
    expect(user.body.error.details[0]).to.include({ field: 'fullName', reason: 'invalid_characters' });
    const unitResponse = await api('POST', '/units', { token: admin.token, body: { code: `X${uniqueSuffix()}`, name: 'Xã Mỹ Hòa\u3164', kind: 'commune' } });
    expect(unitResponse.status).to.equal(422);
    expect(unitResponse.body.error.details[0]).to.include({ field: 'name', reason: 'invalid_characters' });
    const english = await api('POST', '/units', { token: admin.token, body: { code: `X${uniqueSuffix()}`, name: 'Xã Mỹ H\u043Eà', kind: 'commune' }, language: 'en' });
    expect(english.body.error.details[0].message).to.include('Cyrillic/Greek letters mixed with Latin');
    const committee = await createCommittee({ members: 1 });
    const round = await openRound(committee);
    const decision = await api('POST', '/decisions', { token: committee.secretary.token, body: { roundId: round.id, signedOn: '2025-01-02', signerName: 'Trần Văn\u200B Bình', signerTitle: 'CHỦ TỊCH', nominationIds: [1] } });
    expect(decision.status).to.equal(422);
    expect(decision.body.error.details.find((d: { field: string }) => d.field === 'signerName')).to.include({ reason: 'invalid_characters' });
  });

  it('still accepts ordinary Vietnamese, NFD input with two marks a letter, and names in one other script', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    for (const name of ['Nguyễn Thị Ệ Ượng', 'Đặng Văn Lành'.normalize('NFD'), "Hội Liên hiệp Phụ nữ xã Ia H'Drai", 'Иван Петров', 'Ksor H’Bơ Khăp']) {
      const unit = await api('POST', '/units', { token: admin.token, body: { code: `X${uniqueSuffix()}`, name, kind: 'organisation' } });
      expect(unit.status, name).to.equal(201);
    }
  });
});
