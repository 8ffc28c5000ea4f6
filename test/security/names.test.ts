// Disguised names: each hidden character, stack of marks or look-alike letter below once made
// "Lê Thị Ánh Tuyết" a second nominee in the same round. Names refuse them (422 invalid_characters)
// wherever a name is typed, and the nomination duplicate key folds them out for rows already stored.
import { expect } from 'chai';
import { nomineeKey } from '../../server/awards/names.ts';
import { db } from '../support/context.ts';
import { createCommittee, individual, openRound } from '../support/awards.ts';
import { createUnit, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';

const NAME = 'Lê Thị Ánh Tuyết';

/** Each disguise of NAME, by what it hides. */
const DISGUISES: Record<string, string> = {
  'soft hyphen U+00AD': 'Lê Thị Ánh Tuy\u00ADết',
  'zero-width space U+200B': 'Lê Thị\u200B Ánh Tuyết',
  'zero-width non-joiner U+200C': 'Lê Thị Ánh\u200C Tuyết',
  'zero-width joiner U+200D': 'Lê Thị Á\u200Dnh Tuyết',
  'word joiner U+2060': 'Lê\u2060 Thị Ánh Tuyết',
  'byte order mark U+FEFF': 'Lê Thị\uFEFF Ánh Tuyết',
  'left-to-right mark U+200E': 'Lê Thị Ánh Tuyết\u200E',
  'Arabic letter mark U+061C': 'Lê Thị \u061CÁnh Tuyết',
  'Mongolian vowel separator U+180E': 'Lê Thị Ánh\u180E Tuyết',
  'invisible times U+2062': 'Lê Thị Ánh Tuy\u2062ết',
  'variation selector U+FE0F': 'Lê Thị Ánh Tuyết\uFE0F',
  'variation selector U+FE00': 'Lê\uFE00 Thị Ánh Tuyết',
  'variation selector supplement U+E0100': 'Lê Thị Ánh Tuyết\u{E0100}',
  'tag characters U+E0041 U+E007F': 'Lê Thị Ánh Tuyết\u{E0041}\u{E007F}',
  'Hangul choseong filler U+115F': 'Lê Thị\u115F Ánh Tuyết',
  'Hangul jungseong filler U+1160': 'Lê Thị Ánh\u1160 Tuyết',
  'Hangul filler U+3164': 'Lê Thị Ánh Tuyết\u3164',
  'halfwidth Hangul filler U+FFA0': 'Lê\uFFA0 Thị Ánh Tuyết',
  'combining grapheme joiner U+034F': 'Lê Thị Ánh Tuy\u034Fết',
  '150 stacked combining marks': 'Lê Thị Ánh Tuyết' + '\u0301'.repeat(150),
  '150 stacked marks on a plain letter': 'Lê Thị Ánh Tuyet'.replace('et', 'e\u0302\u0301' + '\u0300'.repeat(150) + 't'),
  'Cyrillic е (U+0435) in a Latin name': 'Lê Thị Ánh Tuy\u0435\u0302\u0301t',
  'Cyrillic Т (U+0422) in a Latin name': 'Lê \u0422hị Ánh Tuyết',
  'Greek Α (U+0391) in a Latin name': 'Lê Thị \u0391\u0301nh Tuyết',
  'Greek ο (U+03BF) in "Võ Thị Ánh Tuyết"': 'V\u03BF\u0303 Thị Ánh Tuyết',
};

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

describe('names: the nomination duplicate key (nomineeKey)', () => {
  it('folds every disguise to the key of the plain name', () => {
    const key = nomineeKey(NAME);
    for (const [what, name] of Object.entries(DISGUISES)) {
      const expected = what.includes('Võ') ? nomineeKey('Võ Thị Ánh Tuyết') : key;
      expect(nomineeKey(name), what).to.equal(expected);
    }
  });

  it('keeps case, spacing and NFD folded as before, and tells different names apart', () => {
    expect(nomineeKey('  LÊ   THỊ ÁNH TUYẾT ')).to.equal(nomineeKey(NAME));
    expect(nomineeKey(NAME.normalize('NFD'))).to.equal('lê thị ánh tuyết');
    expect(nomineeKey('Lê Thị Ánh Tuyet')).not.to.equal(nomineeKey(NAME));
    expect(nomineeKey('Lê Thị Anh Tuyết')).not.to.equal(nomineeKey(NAME));
  });
});
