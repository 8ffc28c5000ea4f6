// Dossier packages (issue 17): a forwarded nomination, and a whole round, download as one ZIP with
// the files as uploaded, a Word summary (trích ngang) or list, and a manifest whose every entry and
// SHA-256 is checked against the archive read back with yauzl. Who may take them, the audit row,
// and the size limit through the real route.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { nomineeKey } from '../../server/awards/names.ts';
import { attachRequiredFiles, closeRound, collective, createCommittee, downloadBytes, individual, openRound, pdfBytes, submitted, uploadDossierFile, voteAll } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { auditRows, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { createLevels, forward, type Levels } from '../support/levels.ts';
import { unzip } from '../support/zip.ts';
import { signedIn } from '../support/security.ts';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface ManifestFile {
  path: string;
  originalName: string;
  kind: string;
  contentType: string;
  size: number;
  sha256: string;
  generated: boolean;
}

/** Every file the manifest lists is in the archive with that size and SHA-256. */
function expectListed(entries: Map<string, Buffer>, files: readonly ManifestFile[], prefix = '') {
  for (const file of files) {
    const bytes = entries.get(prefix + file.path);
    expect(bytes, `${prefix}${file.path} in the archive`).to.not.equal(undefined);
    expect(bytes!.length, file.path).to.equal(file.size);
    expect(sha(bytes!), file.path).to.equal(file.sha256);
  }
}

async function documentXml(docx: Buffer): Promise<string> {
  const parts = await unzip(docx);
  expect([...parts.keys()]).to.include.members(['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml']);
  expect(parts.get('[Content_Types].xml')!.toString('utf8')).to.include('/word/document.xml');
  return parts.get('word/document.xml')!.toString('utf8');
}

/** A commune nomination with a cited model and two dossier files, approved by the commune's committee (2 of 3), forwarded to the province. */
async function forwardedWithDossier(levels: Levels, name: string) {
  const { lower } = levels;
  const model = await api('POST', '/models', {
    token: lower.agency.token,
    body: { title: 'Dân vận khéo trong xây dựng trường học thân thiện', unitId: lower.department.id, year: 2025, fieldCode: 'nong_thon_moi', kind: 'model', summary: 'Vận động phụ huynh góp công sửa sân trường.' },
  });
  expect(model.status, JSON.stringify(model.body)).to.equal(201);
  const round = await openRound(lower, { title: 'Khen thưởng Dân vận khéo cấp xã năm 2025', awardKind: 'giay_khen' });
  const created = await api('POST', '/nominations', { token: lower.agency.token, body: individual(round.id, lower.department.id, { nomineeName: name, modelIds: [model.body.id] }) });
  expect(created.status).to.equal(201);
  const proposal = pdfBytes(`Tờ trình đề nghị khen thưởng ${name}`);
  const report = pdfBytes(`Báo cáo thành tích của ${name}`);
  expect((await uploadDossierFile(lower.agency.token, created.body.id, { name: 'Tờ trình đề nghị khen thưởng.pdf', content: proposal, kind: 'proposal' })).status).to.equal(201);
  expect((await uploadDossierFile(lower.agency.token, created.body.id, { name: 'bao-cao-thanh-tich.pdf', content: report, kind: 'achievement_report' })).status).to.equal(201);
  await attachRequiredFiles(created.body.id);
  expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: lower.agency.token })).status).to.equal(200);
  await voteAll(lower, created.body.id, ['approve', 'approve', 'reject']);
  await closeRound(lower, round.id);
  const upperRound = await openRound(levels.upper);
  const twin = await forward(lower.secretary.token, created.body.id, upperRound.id);
  expect(twin.status, JSON.stringify(twin.body)).to.equal(201);
  return { twinId: twin.body.id as number, lowerId: created.body.id as number, upperRoundId: upperRound.id, modelCode: model.body.code as string, proposal, report };
}

describe('dossier packages', function () {
  this.timeout(60_000);

  describe('one nomination', () => {
    let levels: Levels;
    let sent: Awaited<ReturnType<typeof forwardedWithDossier>>;
    before(async () => {
      levels = await createLevels();
      sent = await forwardedWithDossier(levels, 'Nguyễn Thị Thu Hà');
    });

    it('packages a forwarded nomination: its files as uploaded, the summary with the name and the commune tally, a manifest of it all; audited', async () => {
      const answer = await downloadBytes(levels.upper.secretary.token, `/nominations/${sent.twinId}/dossier.zip`);
      expect(answer.status, answer.bytes.toString('utf8').slice(0, 300)).to.equal(200);
      expect(answer.headers.get('content-type')).to.equal('application/zip');
      expect(answer.headers.get('content-disposition')).to.match(/^attachment; filename="ho-so-\d+-nguyen-thi-thu-ha\.zip"$/);
      expect(answer.headers.get('x-content-type-options')).to.equal('nosniff');

      const entries = await unzip(answer.bytes);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      expect([...entries.keys()].sort()).to.deep.equal([...manifest.files.map((f: ManifestFile) => f.path), 'manifest.json'].sort());
      expectListed(entries, manifest.files);
      expect(manifest.files.map((f: ManifestFile) => [f.path, f.originalName, f.kind, f.generated])).to.deep.equal([
        ['00-tom-tat-thanh-tich.docx', '00-tom-tat-thanh-tich.docx', 'summary', true],
        ['01-to-trinh-to-trinh-de-nghi-khen-thuong.pdf', 'Tờ trình đề nghị khen thưởng.pdf', 'proposal', false],
        ['02-bao-cao-thanh-tich-bao-cao-thanh-tich.pdf', 'bao-cao-thanh-tich.pdf', 'achievement_report', false],
      ]);
      expect(entries.get('01-to-trinh-to-trinh-de-nghi-khen-thuong.pdf')!.equals(sent.proposal)).to.equal(true);
      expect(entries.get('02-bao-cao-thanh-tich-bao-cao-thanh-tich.pdf')!.equals(sent.report)).to.equal(true);
      expect(manifest.packageVersion).to.equal(1);
      expect(Date.parse(manifest.generatedAt)).to.be.closeTo(Date.now(), 60_000);
      expect(manifest.nomination).to.deep.include({
        id: sent.twinId, status: 'submitted', nomineeName: 'Nguyễn Thị Thu Hà', nomineeKind: 'individual', forwardedFromId: sent.lowerId,
        issuingBody: { id: levels.upper.province.id, name: levels.upper.province.name },
        forwardingBody: { id: levels.lower.province.id, name: levels.lower.province.name },
        lowerTally: { approvals: 2, rejections: 1, eligibleVoters: 3 },
      });
      expect(manifest.nomination.round).to.include({ id: sent.upperRoundId });

      const xml = await documentXml(entries.get('00-tom-tat-thanh-tich.docx')!);
      expect(xml).to.include('Nguyễn Thị Thu Hà'.normalize('NFC'));
      expect(xml).to.include('2 phiếu đồng ý, 1 phiếu không đồng ý, trên tổng số 3 thành viên');
      expect(xml).to.include(sent.modelCode);
      expect(xml).to.include('Dân vận khéo trong xây dựng trường học thân thiện');
      expect(xml).to.include('Tổng kết công tác dân vận chính quyền năm 2025'); // the round's title
      expect(xml).to.include(`w:w="11906" w:h="16838"`); // A4
      expect(xml).to.include('w:left="1701"'); // 30 mm

      const audit = await auditRows('nomination', sent.twinId);
      expect(audit.at(-1)).to.deep.include({ action: 'dossier.download', actor_user_id: levels.upper.secretary.id });
    });

    it('gives it to the commune that forwarded it and to the school that nominated; a sibling commune 404, another department 404, a member 403, no one signed in 401', async () => {
      const path = `/nominations/${sent.twinId}/dossier.zip`;
      expect((await downloadBytes(levels.lower.secretary.token, path)).status).to.equal(200);
      expect((await downloadBytes(levels.lower.agency.token, path)).status).to.equal(200);
      expect((await auditRows('nomination', sent.twinId)).filter((row) => row.action === 'dossier.download').map((row) => row.actor_user_id)).to.include.members([levels.lower.secretary.id, levels.lower.agency.id]);
      const before = (await auditRows('nomination', sent.twinId)).length;
      expect((await downloadBytes(levels.sibling.secretary.token, path)).status).to.equal(404);
      expect((await downloadBytes(levels.lower.otherAgency.token, path)).status).to.equal(404);
      expect((await downloadBytes(levels.upper.members[0]!.token, path)).status).to.equal(403);
      const printer = await createUserWithToken({ role: 'printer', unitId: levels.upper.province.id });
      expect((await downloadBytes(printer.token, path)).status).to.equal(403);
      expect((await downloadBytes(undefined, path)).status).to.equal(401);
      expect((await downloadBytes(levels.upper.secretary.token, '/nominations/999999999/dossier.zip')).status).to.equal(404);
      expect((await auditRows('nomination', sent.twinId)).length, 'a refused download is not audited').to.equal(before);
    });

    it('refuses a package whose stored bytes no longer match their SHA-256 rather than send them as intact', async () => {
      const file = await db().selectFrom('nomination_files').select('id').where('nomination_id', '=', sent.lowerId).orderBy('id').executeTakeFirstOrThrow();
      await db().updateTable('nomination_file_contents').set({ content: pdfBytes('Tờ trình đã bị sửa ngoài hệ thống') }).where('file_id', '=', file.id).execute();
      const answer = await downloadBytes(levels.lower.secretary.token, `/nominations/${sent.lowerId}/dossier.zip`);
      expect(answer.status).to.equal(500);
    });
  });

  describe('a whole round', () => {
    it('packages the submitted, returned and approved nominations in the annex order, each in its folder, with the list and a manifest; drafts left out; audited', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee, { title: 'Khen thưởng phong trào Dân vận khéo năm 2025' });
      const binh = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Bình', achievement: 'Vận động nhân dân hiến 1.200 m² đất mở rộng đường liên thôn' }));
      const file = pdfBytes('Báo cáo thành tích Trần Văn Bình');
      // A file added before submitting: create, upload, submit.
      const created = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id, { nomineeName: 'Phòng Giáo dục Trung học' }) });
      expect((await uploadDossierFile(committee.agency.token, created.body.id, { name: 'Biên bản họp.pdf', content: file, kind: 'minutes' })).status).to.equal(201);
      await attachRequiredFiles(created.body.id);
      expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: committee.agency.token })).status).to.equal(200);
      const anh = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Thị Anh' }));
      expect((await api('POST', `/nominations/${anh}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung tờ trình' } })).status).to.equal(200);
      const draft = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Lê Thị Nháp' }) });
      expect(draft.status).to.equal(201);

      const answer = await downloadBytes(committee.secretary.token, `/award-rounds/${round.id}/dossier.zip`);
      expect(answer.status, answer.bytes.toString('utf8').slice(0, 300)).to.equal(200);
      expect(answer.headers.get('content-type')).to.equal('application/zip');
      const entries = await unzip(answer.bytes);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      expect(manifest.round).to.deep.include({ id: round.id, title: 'Khen thưởng phong trào Dân vận khéo năm 2025', issuingBody: { id: committee.province.id, name: committee.province.name } });
      expect(manifest.nominations.map((n: { order: number; folder: string; id: number; status: string }) => [n.order, n.folder, n.id, n.status])).to.deep.equal([
        [1, '001-phong-giao-duc-trung-hoc', created.body.id, 'submitted'],
        [2, '002-nguyen-thi-anh', anh, 'returned'],
        [3, '003-tran-van-binh', binh, 'submitted'],
      ]);

      // Every entry is listed: the round's files, and each folder's files and its own manifest.
      const listed = [
        ...manifest.files.map((f: ManifestFile) => f.path), 'manifest.json',
        ...manifest.nominations.flatMap((n: { folder: string; files: ManifestFile[] }) => [...n.files.map((f) => f.path), `${n.folder}/manifest.json`]),
      ];
      expect([...entries.keys()].sort()).to.deep.equal(listed.sort());
      expectListed(entries, manifest.files);
      for (const nomination of manifest.nominations) {
        expectListed(entries, nomination.files);
        const own = JSON.parse(entries.get(`${nomination.folder}/manifest.json`)!.toString('utf8'));
        expect(own.nomination.id).to.equal(nomination.id);
        expectListed(entries, own.files, `${nomination.folder}/`);
      }
      expect(entries.get('001-phong-giao-duc-trung-hoc/01-bien-ban-bien-ban-hop.pdf')!.equals(file)).to.equal(true);
      expect(manifest.nominations[0].files[1]).to.include({ originalName: 'Biên bản họp.pdf', kind: 'minutes', contentType: 'application/pdf' });

      const list = await documentXml(entries.get('danh-sach.docx')!);
      const positions = ['Phòng Giáo dục Trung học', 'Nguyễn Thị Anh', 'Trần Văn Bình'].map((name) => list.indexOf(name));
      expect(positions.every((p) => p > 0), 'every nominee in the list').to.equal(true);
      expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
      expect(list).to.include('1.200 m²');
      expect(list).not.to.include('Lê Thị Nháp');
      expect(list).to.include('w:orient="landscape"');
      const summary = await documentXml(entries.get('003-tran-van-binh/00-tom-tat-thanh-tich.docx')!);
      expect(summary).to.include('Trần Văn Bình');

      const audit = await auditRows('award_round', round.id);
      expect(audit.at(-1)).to.deep.include({ action: 'dossier.download', actor_user_id: committee.secretary.id });
      expect((audit.at(-1)!.after as { nominations: number[] }).nominations).to.deep.equal([created.body.id, anh, binh]);
    });

    it('is for whoever manages the round: agency and members 403, another province\'s secretariat 404, the commune below 404', async () => {
      const levels = await createLevels();
      const round = await openRound(levels.upper);
      const path = `/award-rounds/${round.id}/dossier.zip`;
      expect((await downloadBytes(levels.upper.agency.token, path)).status).to.equal(403);
      expect((await downloadBytes(levels.upper.members[0]!.token, path)).status).to.equal(403);
      expect((await downloadBytes(levels.lower.secretary.token, path)).status).to.equal(404);
      const elsewhere = await createCommittee();
      expect((await downloadBytes(elsewhere.secretary.token, path)).status).to.equal(404);
      expect((await downloadBytes(undefined, path)).status).to.equal(401);
      const empty = await downloadBytes(levels.upper.secretary.token, path);
      expect(empty.status).to.equal(200);
      const entries = await unzip(empty.bytes);
      expect([...entries.keys()].sort()).to.deep.equal(['danh-sach.docx', 'manifest.json']);
    });

    it('streams a round of large files whole: 3 files of 3 MB each come out byte for byte', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const uploaded = new Map<number, Buffer>();
      for (const name of ['Lý Thị Mai', 'Hoàng Văn Nam', 'Phạm Minh Đức']) {
        const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: name }) });
        const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3 * 1024 * 1024)]);
        expect((await uploadDossierFile(committee.agency.token, created.body.id, { name: 'ho-so-scan.pdf', content, kind: 'achievement_report' })).status).to.equal(201);
        await attachRequiredFiles(created.body.id);
        expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: committee.agency.token })).status).to.equal(200);
        uploaded.set(created.body.id, content);
      }
      const answer = await downloadBytes(committee.secretary.token, `/award-rounds/${round.id}/dossier.zip`);
      expect(answer.status).to.equal(200);
      expect(answer.bytes.length).to.be.greaterThan(9 * 1024 * 1024);
      const entries = await unzip(answer.bytes);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      for (const nomination of manifest.nominations) {
        expectListed(entries, nomination.files);
        expect(entries.get(`${nomination.folder}/01-bao-cao-thanh-tich-ho-so-scan.pdf`)!.equals(uploaded.get(nomination.id)!)).to.equal(true);
      }
    });

    it('refuses a round over 500 nominations with 409 package_too_large, reading and auditing nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      await db().insertInto('nominations').values(Array.from({ length: 501 }, (_, i) => {
        const name = `Tập thể số ${i + 1}`;
        return {
          round_id: round.id, unit_id: committee.department.id, nominee_kind: 'collective' as const, nominee_name: name, nominee_key: nomineeKey(name),
          achievement: 'Thành tích xuất sắc trong phong trào thi đua "Dân vận khéo"', status: 'submitted' as const, submitted_at: new Date(), created_by: committee.secretary.id,
        };
      })).execute();
      const answer = await api('GET', `/award-rounds/${round.id}/dossier.zip`, { token: committee.secretary.token });
      expect(answer.status).to.equal(409);
      expect(answer.body.error).to.include({ code: 'conflict', reason: 'package_too_large' });
      expect(answer.body.error.message).to.include('501');
      expect((await auditRows('award_round', round.id)).filter((row) => row.action === 'dossier.download')).to.have.length(0);
    });
  });
});

describe('dossier packages from the pages', function () {
  this.timeout(60_000);

  it('links the package from the nomination and round pages for whoever may take it, and serves it there with the session', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Quách Thị Liên' }));
    const secretary = await signedIn(committee.secretary);
    const nominationPage = await secretary.get(`/nominations/${id}`);
    expect(nominationPage.html).to.include(`href="/nominations/${id}/dossier.zip"`);
    expect((await secretary.get(`/awards/${round.id}`)).html).to.include(`href="/awards/${round.id}/dossier.zip"`);
    const zip = await secretary.get(`/nominations/${id}/dossier.zip`);
    expect(zip.status).to.equal(200);
    expect(zip.headers.get('content-type')).to.equal('application/zip');
    const roundZip = await secretary.get(`/awards/${round.id}/dossier.zip`);
    expect(roundZip.status).to.equal(200);
    expect(roundZip.headers.get('content-type')).to.equal('application/zip');

    const member = await signedIn(committee.members[0]!);
    expect((await member.get(`/nominations/${id}`)).html).to.not.include('dossier.zip');
    expect((await member.get(`/nominations/${id}/dossier.zip`)).status).to.equal(403);
    const stranger = await signedIn((await createCommittee()).secretary);
    expect((await stranger.get(`/awards/${round.id}/dossier.zip`)).status).to.equal(404);
  });
});
