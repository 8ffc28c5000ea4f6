// Dossier files through the API: multipart upload of real PDF bytes, safe download headers, who may
// see or change them, type sniffing, the 10 MB limit, and no changes once the nomination is submitted.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { attachRequiredFiles, createCommittee, downloadBytes, individual, openRound, pdfBytes, rowCounts, uploadDossierFile, type Committee } from '../support/awards.ts';

async function draft(committee: Committee) {
  const round = await openRound(committee);
  const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id) });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return created.body.id as number;
}

const fileCounts = () => rowCounts(['nomination_files', 'nomination_file_contents', 'audit_log']);

describe('awards API: dossier files', () => {
  it('stores a real PDF (201) with its type, size and hash, audited', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const content = pdfBytes();
    const response = await uploadDossierFile(committee.agency.token, id, { name: 'To-trinh.pdf', content, kind: 'proposal' });
    expect(response.status).to.equal(201);
    expect(response.body).to.include({ nominationId: id, kind: 'proposal', fileName: 'To-trinh.pdf', contentType: 'application/pdf', sizeBytes: content.length });
    expect(response.body.url).to.equal(`/api/v1/nominations/${id}/files/${response.body.id}`);
    const stored = await db().selectFrom('nomination_files').innerJoin('nomination_file_contents', 'nomination_file_contents.file_id', 'nomination_files.id').selectAll().where('nomination_files.id', '=', response.body.id).executeTakeFirstOrThrow();
    expect(Buffer.compare(Buffer.from(stored.content), content)).to.equal(0);
    expect(stored).to.include({ uploaded_by: committee.agency.id, size_bytes: content.length, sha256: response.body.sha256 });
    expect((await auditRows('nomination', id)).at(-1)).to.include({ action: 'nomination.file.attach', actor_user_id: committee.agency.id });
  });

  it('sends the file back as an attachment with nosniff and identical bytes, to the agency and to the secretary once submitted', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const content = pdfBytes('Báo cáo thành tích');
    const uploaded = await uploadDossierFile(committee.agency.token, id, { name: 'Báo cáo thành tích.pdf', content, kind: 'achievement_report' });
    expect(uploaded.status).to.equal(201);
    expect(uploaded.body.fileName).to.equal('Báo cáo thành tích.pdf');
    const path = `/nominations/${id}/files/${uploaded.body.id}`;

    const agencyCopy = await downloadBytes(committee.agency.token, path);
    expect(agencyCopy.status).to.equal(200);
    expect(agencyCopy.headers.get('content-type')).to.match(/^application\/pdf/);
    expect(agencyCopy.headers.get('content-disposition')).to.match(/^attachment;/);
    expect(agencyCopy.headers.get('content-disposition')).to.include(`filename*=UTF-8''${encodeURIComponent('Báo cáo thành tích.pdf')}`);
    expect(agencyCopy.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(Buffer.compare(agencyCopy.bytes, content)).to.equal(0);

    expect((await downloadBytes(committee.secretary.token, path)).status, 'the secretary does not see a draft\'s files').to.equal(404);
    await attachRequiredFiles(id);
    expect((await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token })).status).to.equal(200);
    const secretaryCopy = await downloadBytes(committee.secretary.token, path);
    expect(secretaryCopy.status).to.equal(200);
    expect(secretaryCopy.headers.get('content-disposition')).to.match(/^attachment;/);
    expect(secretaryCopy.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(Buffer.compare(secretaryCopy.bytes, content)).to.equal(0);
    const details = await api('GET', `/nominations/${id}`, { token: committee.secretary.token });
    expect(details.body.files.map((f: { id: number }) => f.id)).to.include(uploaded.body.id);
  });

  it('answers 404 to another department\'s agency, on download and on upload, storing nothing', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const uploaded = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.pdf', content: pdfBytes() });
    expect((await downloadBytes(committee.otherAgency.token, `/nominations/${id}/files/${uploaded.body.id}`)).status).to.equal(404);
    const before = await fileCounts();
    expect((await uploadDossierFile(committee.otherAgency.token, id, { name: 'xen.pdf', content: pdfBytes() })).status).to.equal(404);
    expect((await api('DELETE', `/nominations/${id}/files/${uploaded.body.id}`, { token: committee.otherAgency.token })).status).to.equal(404);
    expect(await fileCounts()).to.deep.equal(before);
  });

  it('answers 404 for a file id that belongs to another nomination', async () => {
    const committee = await createCommittee();
    const first = await draft(committee);
    const round = await openRound(committee);
    const second = (await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Hà Văn Hai' }) })).body.id;
    const uploaded = await uploadDossierFile(committee.agency.token, first, { name: 'hoso.pdf', content: pdfBytes() });
    expect((await downloadBytes(committee.agency.token, `/nominations/${second}/files/${uploaded.body.id}`)).status).to.equal(404);
  });

  it('refuses a program, and HTML renamed .pdf, with 422 (file), storing nothing', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const before = await fileCounts();
    const exe = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.exe', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]), type: 'application/octet-stream' });
    expect(exe.status).to.equal(422);
    expect(exe.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['file']);
    const html = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.pdf', content: Buffer.from('<!doctype html><script>alert(1)</script>'), type: 'application/pdf' });
    expect(html.status).to.equal(422);
    expect(html.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['file']);
    // A PDF name on other bytes is told it is not a real PDF, and whether the bytes are plain text; the reason stays file_type.
    expect(exe.body.error.details[0]).to.deep.include({ reason: 'file_type', message: 'Chỉ nhận tệp PDF (.pdf) hoặc Word (.doc, .docx).' });
    expect(html.body.error.details[0]).to.deep.include({ reason: 'file_type' });
    expect(html.body.error.details[0].message).to.equal('Tệp không phải là PDF thật: nội dung là văn bản thuần, chỉ được đổi đuôi thành .pdf. Hãy lưu hoặc xuất tài liệu ra PDF rồi đính kèm lại.');
    const text = await uploadDossierFile(committee.agency.token, id, { name: 'To trinh.PDF', content: Buffer.from('Tờ trình đề nghị khen thưởng\r\nNăm 2025\n'), type: 'application/pdf' });
    expect(text.body.error.details[0].message).to.match(/^Tệp không phải là PDF thật: nội dung là văn bản thuần/);
    const binary = await uploadDossierFile(committee.agency.token, id, { name: 'anh.pdf', content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]), type: 'application/pdf' });
    expect(binary.status).to.equal(422);
    expect(binary.body.error.details[0]).to.deep.include({ reason: 'file_type', message: 'Tệp không phải là PDF thật: nội dung không khớp đuôi .pdf. Hãy lưu hoặc xuất tài liệu ra PDF rồi đính kèm lại.' });
    const fakeWord = await uploadDossierFile(committee.agency.token, id, { name: 'bienban.docx', content: Buffer.from('biên bản'), type: 'application/octet-stream', language: 'en' });
    expect(fakeWord.body.error.details[0].message).to.equal('The file is not a real Word file: its content is plain text, only renamed to .docx. Please save or export the document as Word and attach it again.');
    const renamedPdf = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.html', content: pdfBytes(), type: 'text/html' });
    expect(renamedPdf.status).to.equal(422);
    expect(await fileCounts()).to.deep.equal(before);
  });

  it('refuses a missing or unknown document kind and a missing file with 422, storing nothing', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const before = await fileCounts();
    const noKind = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.pdf', content: pdfBytes(), kind: null });
    expect(noKind.status).to.equal(422);
    expect(noKind.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['kind']);
    const badKind = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.pdf', content: pdfBytes(), kind: 'invoice' });
    expect(badKind.status).to.equal(422);
    expect(badKind.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['kind']);
    const form = new FormData();
    form.append('kind', 'minutes');
    const noFile = await fetch(`${ctx().baseUrl}/api/v1/nominations/${id}/files`, { method: 'POST', headers: { authorization: `Bearer ${committee.agency.token}` }, body: form });
    expect(noFile.status).to.equal(422);
    const noFileBody = (await noFile.json()) as { error: { details: { field: string; reason: string; message: string }[] } };
    expect(noFileBody.error.details).to.deep.equal([{ field: 'file', reason: 'file_missing', message: 'Hãy chọn tệp cần đính kèm.' }]);
    expect(await fileCounts()).to.deep.equal(before);
  });

  it('refuses a file over 10 MB with 413 and stores nothing', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const before = await fileCounts();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    Buffer.from('%PDF-1.4\n').copy(big);
    const response = await uploadDossierFile(committee.agency.token, id, { name: 'lon.pdf', content: big });
    expect(response.status).to.equal(413);
    expect(response.body.error.code).to.equal('payload_too_large');
    expect(await fileCounts()).to.deep.equal(before);
  });

  it('accepts a file of exactly 10 MB', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const exact = Buffer.alloc(10 * 1024 * 1024, 0x20);
    Buffer.from('%PDF-1.4\n').copy(exact);
    const response = await uploadDossierFile(committee.agency.token, id, { name: 'vua.pdf', content: exact });
    expect(response.status).to.equal(201);
    expect(response.body.sizeBytes).to.equal(10 * 1024 * 1024);
  });

  it('removes a file while the nomination is a draft (204), audited', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const uploaded = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.pdf', content: pdfBytes(), kind: 'minutes' });
    const response = await api('DELETE', `/nominations/${id}/files/${uploaded.body.id}`, { token: committee.agency.token });
    expect(response.status).to.equal(204);
    expect(await db().selectFrom('nomination_files').select('id').where('id', '=', uploaded.body.id).execute()).to.deep.equal([]);
    expect(await db().selectFrom('nomination_file_contents').select('file_id').where('file_id', '=', uploaded.body.id).execute()).to.deep.equal([]);
    expect((await auditRows('nomination', id)).at(-1)).to.include({ action: 'nomination.file.remove', actor_user_id: committee.agency.id });
    expect((await downloadBytes(committee.agency.token, `/nominations/${id}/files/${uploaded.body.id}`)).status).to.equal(404);
  });

  it('refuses to attach or remove files once the nomination is submitted (409), changing nothing', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const uploaded = await uploadDossierFile(committee.agency.token, id, { name: 'hoso.pdf', content: pdfBytes() });
    await attachRequiredFiles(id);
    expect((await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token })).status).to.equal(200);
    const before = await fileCounts();
    const attach = await uploadDossierFile(committee.agency.token, id, { name: 'bosung.pdf', content: pdfBytes() });
    expect(attach.status).to.equal(409);
    expect(attach.body.error.code).to.equal('conflict');
    expect((await api('DELETE', `/nominations/${id}/files/${uploaded.body.id}`, { token: committee.agency.token })).status).to.equal(409);
    expect(await fileCounts()).to.deep.equal(before);
  });

  it('refuses uploads from members (403), the secretary who cannot see a draft (404) and anonymous callers (401)', async () => {
    const committee = await createCommittee();
    const id = await draft(committee);
    const before = await fileCounts();
    expect((await uploadDossierFile(committee.secretary.token, id, { name: 'hoso.pdf', content: pdfBytes() })).status).to.equal(404);
    expect((await uploadDossierFile(committee.members[0]!.token, id, { name: 'hoso.pdf', content: pdfBytes() })).status).to.equal(403);
    expect((await uploadDossierFile(undefined, id, { name: 'hoso.pdf', content: pdfBytes() })).status).to.equal(401);
    expect(await fileCounts()).to.deep.equal(before);
  });
});
