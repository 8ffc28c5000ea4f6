// Hardening of the awards (issue 14): authority over an issuing body comes from inside one's own
// scope, ended units receive nothing new and count as their successor for conflicts of interest, the
// running tally stays with the secretariat while a round is open, and a .docx must be a Word package.
import { expect } from 'chai';
import { zipFile } from '../../bench/lib/raw-xlsx.ts';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';
import {
  approvedInClosedRound, closeRound, createCommittee, inDays, decisionBody, downloadBytes, individual, openRound, rowCounts, seatOnCommittee, submitted, uploadDossierFile, type Committee,
} from '../support/awards.ts';

/** A secretary, a printer and a member whose unit is the department under the committee's province. */
async function departmentStaff(committee: Committee) {
  return {
    secretary: await createUserWithToken({ role: 'secretary', unitId: committee.department.id, fullName: 'Thư ký cấp sở' }),
    printer: await createUserWithToken({ role: 'printer', unitId: committee.department.id, fullName: 'Văn thư cấp sở' }),
  };
}

describe('awards: authority over an issuing body comes from inside one\'s scope', () => {
  it('refuses a department secretary every action in the province\'s name with 404, changing nothing', async () => {
    const committee = await createCommittee();
    const staff = await departmentStaff(committee);
    const round = await openRound(committee);
    const nominationId = await submitted(committee, individual(round.id, committee.department.id));
    const before = await rowCounts();

    const opened = await api('POST', '/award-rounds', { token: staff.secretary.token, body: { title: 'Đợt mạo danh tỉnh', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, closesOn: inDays(10) } });
    expect(opened.status).to.equal(422);
    expect(opened.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['issuingUnitId']);
    expect((await api('POST', `/nominations/${nominationId}/return`, { token: staff.secretary.token, body: { reason: 'Trả lại trái thẩm quyền' } })).status).to.equal(404);
    expect((await api('POST', `/award-rounds/${round.id}/close`, { token: staff.secretary.token })).status).to.equal(404);
    expect(await rowCounts()).to.deep.equal(before);
    expect((await db().selectFrom('award_rounds').select('status').where('id', '=', round.id).executeTakeFirstOrThrow()).status).to.equal('open');
  });

  it('refuses a department secretary the province\'s decision (404) without taking its number', async () => {
    const committee = await createCommittee();
    const staff = await departmentStaff(committee);
    const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Trần Văn Bình', kind: 'individual' }]);
    const before = await rowCounts();
    const refused = await api('POST', '/decisions', { token: staff.secretary.token, body: decisionBody(round.id, [ids['Trần Văn Bình']!]) });
    expect(refused.status).to.equal(404);
    expect(await rowCounts()).to.deep.equal(before);
    const issued = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Trần Văn Bình']!]) });
    expect(issued.status).to.equal(201);
    expect(issued.body.number).to.match(/^1\//);
  });

  it('keeps the province\'s certificates from a department printer (404) and shows agency staff only their own units\' certificates', async () => {
    const committee = await createCommittee();
    const staff = await departmentStaff(committee);
    const round = await openRound(committee);
    const own = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lê Văn Cường' }));
    const sibling = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Phạm Thị Dung' }), committee.otherAgency.token);
    for (const id of [own, sibling]) {
      for (const member of committee.members.slice(0, 2)) expect((await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'approve' } })).status).to.equal(201);
    }
    await closeRound(committee, round.id);
    const decision = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [own, sibling]) });
    expect(decision.status).to.equal(201);
    const certificate = decision.body.certificates[0].id as number;

    expect((await downloadBytes(staff.printer.token, `/certificates/${certificate}.pdf`)).status).to.equal(404);
    expect((await downloadBytes(staff.printer.token, `/decisions/${decision.body.id}/certificates.pdf`)).status).to.equal(404);
    expect((await api('POST', `/certificates/${certificate}/reissue`, { token: staff.printer.token, body: { reason: 'Bản gốc bị mất' } })).status).to.equal(404);
    expect((await api('POST', `/certificates/${certificate}/revoke`, { token: staff.secretary.token, body: { reason: 'Thu hồi trái thẩm quyền' } })).status).to.equal(404);
    expect((await api('POST', `/decisions/${decision.body.id}/print-jobs`, { token: staff.printer.token, body: {} })).status).to.equal(404);
    expect((await db().selectFrom('certificates').select(['status', 'copy_number']).where('id', '=', certificate).executeTakeFirstOrThrow())).to.deep.equal({ status: 'valid', copy_number: 0 });

    const seen = await api('GET', `/decisions/${decision.body.id}`, { token: committee.agency.token });
    expect(seen.status).to.equal(200);
    expect(seen.body.certificates.map((c: { recipientName: string }) => c.recipientName)).to.deep.equal(['Lê Văn Cường']);
    const full = await api('GET', `/decisions/${decision.body.id}`, { token: committee.secretary.token });
    expect(full.body.certificates).to.have.length(2);
  });

  it('shows a department secretary its own units\' nominations in the province\'s round, never a sibling\'s', async () => {
    const committee = await createCommittee();
    const staff = await departmentStaff(committee);
    const round = await openRound(committee);
    const own = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Võ Văn Em' }));
    const sibling = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Đỗ Thị Giang' }), committee.otherAgency.token);
    expect((await api('GET', `/nominations/${sibling}`, { token: staff.secretary.token })).status).to.equal(404);
    expect((await api('GET', `/nominations/${own}`, { token: staff.secretary.token })).status).to.equal(200);
    const listed = await api('GET', `/nominations?roundId=${round.id}`, { token: staff.secretary.token });
    expect(listed.body.items.map((n: { id: number }) => n.id)).to.deep.equal([own]);
    // The committee (a member in the province) reads both.
    const committeeList = await api('GET', `/nominations?roundId=${round.id}`, { token: committee.members[0]!.token });
    expect(committeeList.body.items.map((n: { id: number }) => n.id)).to.have.members([own, sibling]);
  });
});

describe('awards: ended units', () => {
  async function mergedDepartment(committee: Committee) {
    const ended = await createUnit({ parentId: committee.province.id, name: 'Sở Nội vụ (cũ)', validTo: '2025-06-30', successorId: committee.department.id });
    return ended;
  }

  it('refuses a nomination for a unit that ended with 422 unit_ended naming the successor, writing nothing', async () => {
    const committee = await createCommittee();
    const ended = await mergedDepartment(committee);
    const round = await openRound(committee);
    const before = await rowCounts();
    const refused = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, ended.id) });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.details).to.have.length(1);
    expect(refused.body.error.details[0]).to.include({ field: 'unitId', reason: 'unit_ended' });
    expect(refused.body.error.details[0].message).to.include('Sở Giáo dục và Đào tạo');
    expect(await rowCounts()).to.deep.equal(before);
  });

  it('treats an ended unit as its successor for conflicts of interest: the successor\'s member may not vote and is not counted', async () => {
    const committee = await createCommittee();
    const ended = await mergedDepartment(committee);
    const successorMember = await createUserWithToken({ role: 'member', unitId: committee.department.id, fullName: 'Thành viên cấp sở' });
    await seatOnCommittee(committee.province.id, [successorMember.id]);
    const round = await openRound(committee);
    // A nomination of the old unit made before it ended (written straight into the table).
    const { id } = await db()
      .insertInto('nominations')
      .values({ round_id: round.id, unit_id: ended.id, nominee_kind: 'collective', nominee_name: 'Phòng Tổ chức (cũ)', nominee_key: 'phong to chuc (cu)', achievement: 'Hoàn thành xuất sắc nhiệm vụ năm 2025', status: 'submitted', submitted_at: new Date(), created_by: committee.agency.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const vote = await api('POST', `/nominations/${id}/votes`, { token: successorMember.token, body: { vote: 'approve' } });
    expect(vote.status).to.equal(403);
    expect(vote.body.error.reason).to.equal('own_unit_vote');
    expect(await db().selectFrom('votes').select('member_id').where('nomination_id', '=', id).execute()).to.deep.equal([]);
    const closed = await closeRound(committee, round.id);
    expect(closed.outcomes.find((o) => o.nominationId === id)?.eligibleVoters, 'the three province members, not the successor\'s').to.equal(3);
  });
});

describe('awards: the running tally while a round is open', () => {
  it('shows the tally on the round page to the secretary only; members and printers see none until it closes', async () => {
    const committee = await createCommittee();
    const printer = await createUserWithToken({ role: 'printer', unitId: committee.province.id });
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id));
    expect((await api('POST', `/nominations/${id}/votes`, { token: committee.members[0]!.token, body: { vote: 'approve' } })).status).to.equal(201);
    const tally = 'Đồng ý: 1';
    const [secretary, member, printing] = await Promise.all([signedIn(committee.secretary), signedIn(committee.members[1]!), signedIn(printer)]);
    const roundPage = `/awards/${round.id}`;
    expect((await secretary.get(roundPage)).html).to.include(tally);
    const memberPage = (await member.get(roundPage)).html;
    expect(memberPage).not.to.include(tally);
    expect(memberPage).not.to.include('Biểu quyết của Hội đồng');
    expect((await printing.get(roundPage)).html).not.to.include(tally);
    await closeRound(committee, round.id);
    expect((await member.get(roundPage)).html).to.include('Biểu quyết của Hội đồng');
  });
});

/** A ZIP of the entries (the import tests' writer). */
const zip = (entries: { name: string; content: string | Buffer }[]) => zipFile(entries.map((entry) => ({ name: entry.name, data: Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content, 'utf8') })));

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const DOCUMENT = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Biên bản họp xét khen thưởng</w:t></w:r></w:p></w:body></w:document>`;

describe('awards: a .docx dossier file must be a Word package', () => {
  async function draftOf(committee: Committee) {
    const round = await openRound(committee);
    const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id) });
    return created.body.id as number;
  }

  it('stores a real Word document (201)', async () => {
    const committee = await createCommittee();
    const id = await draftOf(committee);
    const docx = zip([{ name: '[Content_Types].xml', content: CONTENT_TYPES }, { name: '_rels/.rels', content: RELS }, { name: 'word/document.xml', content: DOCUMENT }]);
    const stored = await uploadDossierFile(committee.agency.token, id, { name: 'Biên bản.docx', content: docx, kind: 'minutes', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(stored.status).to.equal(201);
    expect(stored.body.contentType).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('refuses a ZIP of an .html and an .exe named .docx, and a macro document, with 422, storing nothing', async () => {
    const committee = await createCommittee();
    const id = await draftOf(committee);
    const before = await rowCounts(['nomination_files', 'nomination_file_contents']);
    const disguised = zip([{ name: 'index.html', content: '<script>alert(1)</script>' }, { name: 'setup.exe', content: Buffer.from('MZ\x90\x00') }]);
    const macro = zip([{ name: '[Content_Types].xml', content: CONTENT_TYPES }, { name: '_rels/.rels', content: RELS }, { name: 'word/document.xml', content: DOCUMENT }, { name: 'word/vbaProject.bin', content: Buffer.from('macro') }]);
    const typesOnly = zip([{ name: '[Content_Types].xml', content: CONTENT_TYPES }, { name: 'word/evil.html', content: '<b>x</b>' }]);
    for (const content of [disguised, macro, typesOnly, Buffer.from('PK\x03\x04 not really a zip')]) {
      const refused = await uploadDossierFile(committee.agency.token, id, { name: 'Tờ trình.docx', content, kind: 'proposal' });
      expect(refused.status).to.equal(422);
      expect(refused.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['file']);
    }
    expect(await rowCounts(['nomination_files', 'nomination_file_contents'])).to.deep.equal(before);
  });
});
