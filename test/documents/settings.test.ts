// An issuing body's document settings (issue 19): defaults derived from the unit until its
// secretariat saves its own; a save (API or page) replaces them whole, is audited, and the next
// decision carries the new words; bad input is refused with every bad field named and nothing
// written; another province's body is out of sight (404), a member's role is refused (403).
import { expect } from 'chai';
import { createCommittee, type Committee } from '../support/awards.ts';
import { download, issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';
import { docxTexts, expectInOrder } from './docx.ts';

const SETTINGS = {
  placeName: 'Long Xuyên',
  superiorLine: '',
  issuerLines: ['ỦY BAN NHÂN DÂN', 'TỈNH SÔNG HẬU THỬ'],
  authorityName: 'Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử',
  legalBases: [
    'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025',
    'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;',
    'Căn cứ Quyết định số 25/2025/QĐ-UBND của Ủy ban nhân dân tỉnh ban hành Quy chế thi đua, khen thưởng',
    'Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh ngày 15 tháng 12 năm 2025.',
  ],
  proposer: 'Giám đốc Sở Nội vụ tại Tờ trình số 456/TTr-SNV ngày 16 tháng 12 năm 2025',
  rewardClause: 'Tiền thưởng kèm theo thực hiện theo Nghị định số 152/2025/NĐ-CP.',
  executors: 'Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ',
  recipients: ['Như Điều 3', 'Sở Nội vụ', 'Lưu: VT, NC'],
  standingOrgan: 'SỞ NỘI VỤ',
  proposalSymbol: 'TTr-SNV',
  proposalSignerTitle: 'GIÁM ĐỐC',
  proposalSignerName: 'Lê Văn Sở',
};

describe('document settings of an issuing body', function () {
  let committee: Committee;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    // A name of its own: the real Tỉnh An Giang of the reference units shares this database (the unit picker's tests rank it).
    await db().updateTable('units').set({ name: 'Tỉnh Sông Hậu Thử' }).where('id', '=', committee.province.id).execute();
    decision = await issueDecision(committee, [{ name: 'Nguyễn Thị Anh' }]);
  });

  it('answers the defaults of a province before any save', async function () {
    const got = await api('GET', `/issuing-bodies/${committee.province.id}/document-settings`, { token: committee.secretary.token });
    expect(got.status).to.equal(200);
    expect(got.body).to.include({ unitId: committee.province.id, customised: false });
    expect(got.body.settings).to.include({ placeName: 'Sông Hậu Thử', authorityName: 'Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử', superiorLine: '' });
    expect(got.body.settings.issuerLines).to.deep.equal(['ỦY BAN NHÂN DÂN', 'TỈNH SÔNG HẬU THỬ']);
  });

  it('derives a department\'s defaults from it and its province', async function () {
    const got = await api('GET', `/issuing-bodies/${committee.department.id}/document-settings`, { token: committee.secretary.token });
    expect(got.status).to.equal(200);
    expect(got.body.settings).to.include({ placeName: 'Sông Hậu Thử', superiorLine: 'UBND TỈNH SÔNG HẬU THỬ' });
    expect(got.body.settings.issuerLines).to.deep.equal(['SỞ GIÁO DỤC VÀ ĐÀO TẠO']);
  });

  it('saves the body\'s own settings, audited, and the next decision carries its legal bases', async function () {
    const saved = await api('PUT', `/issuing-bodies/${committee.province.id}/document-settings`, { token: committee.secretary.token, body: SETTINGS });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.customised).to.equal(true);
    const row = await db().selectFrom('document_settings').selectAll().where('issuing_unit_id', '=', committee.province.id).executeTakeFirstOrThrow();
    expect(row.legal_bases).to.deep.equal(SETTINGS.legalBases);
    expect(row.updated_by).to.equal(committee.secretary.id);
    const audit = (await auditRows('unit', committee.province.id)).filter((r) => r.action === 'document_settings.update');
    expect(audit).to.have.length(1);
    expect(audit[0]!.actor_user_id).to.equal(committee.secretary.id);

    const texts = await docxTexts((await download(`/decisions/${decision.id}/decision.docx`, committee.secretary.token)).bytes);
    expectInOrder(texts, [
      'Long Xuyên, ngày 20 tháng 12 năm 2025',
      'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
      'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;',
      'Căn cứ Quyết định số 25/2025/QĐ-UBND của Ủy ban nhân dân tỉnh ban hành Quy chế thi đua, khen thưởng;',
      'Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh ngày 15 tháng 12 năm 2025;',
      'Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 456/TTr-SNV ngày 16 tháng 12 năm 2025.',
      'Điều 2. Tiền thưởng kèm theo thực hiện theo Nghị định số 152/2025/NĐ-CP.',
      '- Như Điều 3;', '- Sở Nội vụ;', '- Lưu: VT, NC.',
    ]);
  });

  it('refuses bad input with 422 naming every bad field, and writes nothing', async function () {
    const before = await db().selectFrom('document_settings').selectAll().where('issuing_unit_id', '=', committee.province.id).executeTakeFirst();
    const auditBefore = (await auditRows('unit', committee.province.id)).length;
    const bad = { ...SETTINGS, placeName: '', legalBases: [], recipients: Array.from({ length: 16 }, (_, i) => `Nơi nhận ${i}`), issuerLines: ['ỦY BAN\u202eNHÂN DÂN'], extra: 1 };
    const got = await api('PUT', `/issuing-bodies/${committee.province.id}/document-settings`, { token: committee.secretary.token, body: bad });
    expect(got.status).to.equal(422);
    const fields = (got.body.error.details as { field: string }[]).map((e) => e.field);
    expect(fields).to.include.members(['placeName', 'legalBases', 'recipients', 'issuerLines.0', 'extra']);
    const after = await db().selectFrom('document_settings').selectAll().where('issuing_unit_id', '=', committee.province.id).executeTakeFirst();
    expect(after).to.deep.equal(before);
    expect((await auditRows('unit', committee.province.id)).length).to.equal(auditBefore);
  });

  it('hides another province\'s body (404) and refuses a member (403)', async function () {
    const stranger = await createUserWithToken({ role: 'secretary', unitId: (await createUnit({ kind: 'province', name: 'Tỉnh khác' })).id });
    expect((await api('GET', `/issuing-bodies/${committee.province.id}/document-settings`, { token: stranger.token })).status).to.equal(404);
    expect((await api('PUT', `/issuing-bodies/${committee.province.id}/document-settings`, { token: stranger.token, body: SETTINGS })).status).to.equal(404);
    expect((await api('GET', `/issuing-bodies/${committee.province.id}/document-settings`, { token: committee.members[0]!.token })).status).to.equal(403);
    expect((await api('GET', '/issuing-bodies/999999999/document-settings', { token: committee.secretary.token })).status).to.equal(404);
  });

  it('is edited from the body\'s page: one line per item, errors shown at their field', async function () {
    const browser = await signedIn(committee.secretary);
    const page = await browser.get(`/committees/${committee.province.id}/documents`);
    expect(page.status).to.equal(200);
    expect(page.html).to.include('Căn cứ Quyết định số 25/2025/QĐ-UBND');
    const form = { ...SETTINGS, issuerLines: SETTINGS.issuerLines.join('\n'), legalBases: 'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022\r\n\r\nCăn cứ Nghị quyết của Hội đồng nhân dân tỉnh', recipients: 'Như Điều 3\nLưu: VT' };
    const saved = await browser.post(`/committees/${committee.province.id}/documents`, form);
    expect(saved.status).to.equal(303);
    const row = await db().selectFrom('document_settings').select('legal_bases').where('issuing_unit_id', '=', committee.province.id).executeTakeFirstOrThrow();
    expect(row.legal_bases).to.deep.equal(['Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022', 'Căn cứ Nghị quyết của Hội đồng nhân dân tỉnh']);
    const refused = await browser.post(`/committees/${committee.province.id}/documents`, { ...form, placeName: '', recipients: '' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.include('id="error-placeName"').and.to.include('id="error-recipients"');
  });
});
