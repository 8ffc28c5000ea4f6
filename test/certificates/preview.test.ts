// Previewing certificates before the decision: the sheets of approved nominations as they will print,
// marked "BẢN XEM TRƯỚC" on every page, with placeholders where the decision puts its numbers and a QR
// mark that reads as nothing. Nothing is written: no number, no certificate, no print, no audit row.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { approvedInClosedRound, createCommittee, rowCounts, type Committee } from '../support/awards.ts';
import { collapse, download, pdfInfo, pdfPagesText, printerOf, qrCodeOnPage } from '../support/certificates.ts';

const TABLES = ['certificates', 'decisions', 'register_counters', 'decision_counters', 'print_log', 'print_jobs', 'audit_log'] as const;

describe('certificate previews before the decision', () => {
  let committee: Committee;
  let roundId: number;
  let ids: Record<string, number>;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    ({ round: { id: roundId }, ids } = await approvedInClosedRound(committee, [
      { name: 'Trương Thị Hồng Nhung', kind: 'individual' },
      { name: 'Lâm Văn Phúc', kind: 'individual' },
      { name: 'Phòng Giáo dục Thường xuyên', kind: 'collective' },
    ]));
  });

  it('prints the approved nominees, each page marked BẢN XEM TRƯỚC, without numbers or a readable QR code, and writes nothing', async function () {
    this.timeout(90_000);
    const before = await rowCounts(TABLES);
    const chosen = [ids['Trương Thị Hồng Nhung']!, ids['Phòng Giáo dục Thường xuyên']!];
    const got = await download(`/award-rounds/${roundId}/preview.pdf?nominationIds=${chosen.join(',')}&signerName=${encodeURIComponent('Hồ Văn Mừng')}`, committee.secretary.token);
    expect(got.status, JSON.stringify(got.json)).to.equal(200);
    expect(got.headers.get('content-type')).to.equal('application/pdf');
    expect((await pdfInfo(got.bytes)).pages).to.equal(2);
    const pages = (await pdfPagesText(got.bytes)).map(collapse);
    // Collectives first, as in the annex.
    expect(pages[0]).to.contain('Phòng Giáo dục Thường xuyên');
    expect(pages[1]).to.contain('Trương Thị Hồng Nhung');
    for (const page of pages) {
      expect(page).to.contain('BẢN XEM TRƯỚC');
      expect(page).to.contain('BẰNG KHEN');
      expect(page).to.contain('Số sổ: ……/');
      expect(page).to.contain('Mã xác thực: ……');
      expect(page).to.contain('……/QĐ-UBND');
      expect(page).to.contain('Hồ Văn Mừng');
      expect(page).to.not.contain('Lâm Văn Phúc');
    }
    expect(await qrCodeOnPage(got.bytes, 1), 'the QR mark holds nothing to verify').to.equal(null);
    expect(await rowCounts(TABLES), 'nothing written').to.deep.equal(before);
  });

  it('previews every approved nomination awaiting a decision when none is named, from the decision form too', async function () {
    this.timeout(90_000);
    const browser = new Browser();
    await browser.login(committee.secretary.username, TEST_PASSWORD); // a login is audited: counted before
    const before = await rowCounts(TABLES);
    const all = await download(`/award-rounds/${roundId}/preview.pdf`, committee.secretary.token);
    expect(all.status).to.equal(200);
    expect((await pdfInfo(all.bytes)).pages).to.equal(3);

    const form = await browser.get(`/awards/${roundId}/decisions/new`);
    expect(form.status).to.equal(200);
    expect(form.html).to.contain(`formaction="/awards/${roundId}/preview.pdf"`).and.contain('Xem trước bằng khen');
    const fromForm = await browser.post(`/awards/${roundId}/preview.pdf`, { roundId: String(roundId), number: '', signedOn: '20/12/2025', signerName: '', signerTitle: '', nominationIds: [String(ids['Lâm Văn Phúc'])] });
    expect(fromForm.status).to.equal(200);
    expect(fromForm.headers.get('content-type')).to.equal('application/pdf');
    expect(await rowCounts(TABLES), 'nothing written').to.deep.equal(before);
  });

  it('refuses ids of another round, not approved or malformed with 422 naming the field, other units\' rounds with 404, and printers and agency staff with 403', async function () {
    this.timeout(60_000);
    const secretary = committee.secretary.token;
    const strange = await approvedInClosedRound(committee, [{ name: 'Đỗ Thị Kim Oanh', kind: 'individual' }]);
    const cases: [string, string, string][] = [
      [`nominationIds=${strange.ids['Đỗ Thị Kim Oanh']}`, 'nominationIds', 'not_in_round'],
      ['nominationIds=abc', 'nominationIds.0', 'not_a_number'],
      ['nominationIds=1,1', 'nominationIds.1', 'invalid'],
      ['signedOn=31/02/2025', 'signedOn', 'invalid_date'],
    ];
    for (const [query, field, reason] of cases) {
      const got = await download(`/award-rounds/${roundId}/preview.pdf?${query}`, secretary);
      expect(got.status, query).to.equal(422);
      expect(got.json.error.details.map((d: { field: string }) => d.field), query).to.deep.equal([field]);
      if (reason !== 'invalid') expect(got.json.error.details[0].reason, query).to.equal(reason);
    }
    // A decided nomination is no longer previewed: its certificate exists.
    const decided = await download(`/award-rounds/${strange.round.id}/preview.pdf`, secretary);
    expect(decided.status).to.equal(200);
    const issued = await api('POST', '/decisions', { token: secretary, body: { roundId: strange.round.id, signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: [strange.ids['Đỗ Thị Kim Oanh']] } });
    expect(issued.status).to.equal(201);
    const after = await download(`/award-rounds/${strange.round.id}/preview.pdf?nominationIds=${strange.ids['Đỗ Thị Kim Oanh']}`, secretary);
    expect(after.status).to.equal(422);
    expect(after.json.error.details[0]).to.include({ field: 'nominationIds', reason: 'not_awaiting_decision' });
    const none = await download(`/award-rounds/${strange.round.id}/preview.pdf`, secretary);
    expect(none.status).to.equal(422);
    expect(none.json.error.details[0]).to.include({ field: 'nominationIds', reason: 'required' });

    const otherProvince = await createUnit({ kind: 'province', name: 'Tỉnh khác' });
    const otherSecretary = await createUserWithToken({ role: 'secretary', unitId: otherProvince.id });
    expect((await download(`/award-rounds/${roundId}/preview.pdf`, otherSecretary.token)).status).to.equal(404);
    const printer = await printerOf(committee);
    const refused = await download(`/award-rounds/${roundId}/preview.pdf`, printer.token);
    expect(refused.status).to.equal(403);
    expect((await download(`/award-rounds/${roundId}/preview.pdf`, committee.agency.token)).status).to.equal(403);
    expect((await download(`/award-rounds/${roundId}/preview.pdf`)).status).to.equal(401);
    expect(await db().selectFrom('certificates').select('id').where('nomination_id', 'in', Object.values(ids)).execute()).to.deep.equal([]);
  });
});
