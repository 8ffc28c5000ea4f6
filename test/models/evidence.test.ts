// Evidence on a model (photos, reports): uploaded by its unit's staff (PDF, Word, JPEG, PNG, recognised by
// their bytes; anything else refused, nothing written), listed with the model, downloaded by its readers
// only, removed by its writers, frozen once recognised; and shown to the committee beside the scoring form.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee, pdfBytes, type Committee } from '../support/awards.ts';
import { auditRows, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { completedModel, createSet } from '../support/evaluation.ts';

/** A real 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function attach(token: string, modelId: number, name: string, content: Buffer, type = 'application/octet-stream') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type }), name);
  const response = await fetch(`${ctx().baseUrl}/api/v1/models/${modelId}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

async function download(token: string, path: string) {
  const response = await fetch(`${ctx().baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

const filesOf = (modelId: number) => db().selectFrom('model_files').select(['id', 'file_name', 'content_type', 'size_bytes']).where('model_id', '=', modelId).orderBy('id').execute();

describe('evidence files on a model', function () {
  this.timeout(60_000);
  let committee: Committee;
  let modelId: number;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee({ members: 2 });
    modelId = await completedModel(committee, 'Tuyến đường cờ hoa');
  });

  it('takes a photo and a report from the unit, listed with the model and audited; refuses what is not one, writing nothing', async () => {
    const photo = await attach(committee.agency.token, modelId, 'Ảnh tuyến đường.png', PNG, 'image/png');
    expect(photo.status, JSON.stringify(photo.body)).to.equal(201);
    expect(photo.body).to.include({ fileName: 'Ảnh tuyến đường.png', contentType: 'image/png', sizeBytes: PNG.length });
    const report = await attach(committee.agency.token, modelId, 'bao-cao.pdf', pdfBytes('Báo cáo kết quả mô hình'), 'application/pdf');
    expect(report.status).to.equal(201);

    for (const [name, content, field] of [['virus.exe', Buffer.from('MZ...'), 'file'], ['gia-mao.pdf', Buffer.from('chỉ là chữ'), 'file'], ['anh.jpg', PNG, 'file']] as const) {
      const refused = await attach(committee.agency.token, modelId, name, content);
      expect(refused.status, name).to.equal(422);
      expect(refused.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`), name).to.deep.equal([`${field}:file_type`]);
    }
    const none = await fetch(`${ctx().baseUrl}/api/v1/models/${modelId}/files`, { method: 'POST', headers: { authorization: `Bearer ${committee.agency.token}` }, body: new FormData() });
    expect(none.status).to.equal(422);
    expect((await none.json()).error.details[0].reason).to.equal('file_missing');

    expect((await filesOf(modelId)).map((file) => file.file_name)).to.deep.equal(['Ảnh tuyến đường.png', 'bao-cao.pdf']);
    expect((await auditRows('model', modelId)).filter((row) => row.action === 'model.file.attach')).to.have.length(2);
    const read = await api('GET', `/models/${modelId}`, { token: committee.agency.token });
    expect(read.body.files.map((file: { fileName: string }) => file.fileName)).to.deep.equal(['Ảnh tuyến đường.png', 'bao-cao.pdf']);
  });

  it('gives the bytes back to the model\'s readers only, as a download', async () => {
    const [photo] = await filesOf(modelId);
    const own = await download(committee.agency.token, `/api/v1/models/${modelId}/files/${photo!.id}`);
    expect(own.status).to.equal(200);
    expect(own.bytes.equals(PNG)).to.equal(true);
    expect(own.headers.get('content-disposition')).to.match(/^attachment; filename="Anh tuyen duong.png"/);
    expect(own.headers.get('x-content-type-options')).to.equal('nosniff');
    expect((await download(committee.otherAgency.token, `/api/v1/models/${modelId}/files/${photo!.id}`)).status, 'another unit').to.equal(404);
    expect((await attach(committee.otherAgency.token, modelId, 'x.png', PNG)).status, 'another unit writes nothing').to.equal(404);
    expect((await download(committee.agency.token, `/api/v1/models/${modelId}/files/999999`)).status).to.equal(404);
  });

  it('shows the evidence to the committee beside the scoring form, downloadable from there', async () => {
    const set = await createSet(committee);
    const [photo] = await filesOf(modelId);
    const member = committee.members[0]!;
    const browser = new Browser();
    await browser.login(member.username, TEST_PASSWORD);
    const form = await browser.get(`/criteria-sets/${set.id}/models/${modelId}`);
    expect(form.status).to.equal(200);
    expect(form.html).to.include(`/criteria-sets/${set.id}/models/${modelId}/files/${photo!.id}`);
    expect(form.html).to.include('Ảnh tuyến đường.png');
    const page = await browser.get(`/criteria-sets/${set.id}/models/${modelId}/files/${photo!.id}`);
    expect(page.status).to.equal(200);
    const outsider = await createUserWithToken({ role: 'member', unitId: committee.otherDepartment.id });
    const stranger = new Browser();
    await stranger.login(outsider.username, TEST_PASSWORD);
    expect((await stranger.get(`/criteria-sets/${set.id}/models/${modelId}/files/${photo!.id}`)).status, 'not on the committee').to.equal(404);
  });

  it('removes a file for its writers; a recognised model keeps its evidence (409)', async () => {
    const [, report] = await filesOf(modelId);
    const removed = await api('DELETE', `/models/${modelId}/files/${report!.id}`, { token: committee.agency.token });
    expect(removed.status).to.equal(204);
    expect((await filesOf(modelId)).map((file) => file.file_name)).to.deep.equal(['Ảnh tuyến đường.png']);
    expect((await auditRows('model', modelId)).map((row) => row.action)).to.include('model.file.remove');
    const recognised = await api('POST', `/models/${modelId}/reports`, { token: committee.secretary.token, body: { status: 'recognized', reportedOn: '2025-11-02', note: 'Hội đồng công nhận' } });
    expect(recognised.status, JSON.stringify(recognised.body)).to.equal(201);
    const frozen = await attach(committee.agency.token, modelId, 'them.png', PNG);
    expect(frozen.status).to.equal(409);
    expect(frozen.body.error.reason).to.equal('model_recognized');
    expect(await filesOf(modelId)).to.have.length(1);
  });
});
