// An awards round from opening to the printed annex, driven through the real system Chromium as
// the people who use it would: the committee's secretary opens a round (after a refused first
// attempt), the agency nominates two collectives and three individuals (after a refused first
// attempt), attaches a PDF dossier and submits them, the secretary returns one, the agency corrects
// and resubmits it, three members vote (one individual gets two rejects), the secretary publishes
// the list, closes the round and issues the decision, whose page and printable annex list exactly
// the approved nominees in annex order (collectives, then individuals by given name, the
// Vietnamese way: Nguyễn Thị Anh before Đặng Văn Ánh), numbered 1..N in the register; the public
// list is read without signing in. Every distinct page is checked with axe-core (no serious or
// critical violations) and screenshotted to test/screenshots/awards-* (git-ignored), the round
// page and the public list at phone size too.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { attachRequiredFiles, createCommittee, inDays, type Committee } from '../support/awards.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { bodyName } from '../../server/units/names.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);
/** 2025-07-01 -> 01/07/2025, as the forms take dates. */
const dmy = (iso: string) => iso.split('-').reverse().join('/');

interface Nominee {
  kind: 'collective' | 'individual';
  name: string;
  position?: string;
  gender?: 'female' | 'male';
  birthYear?: string;
  achievement: string;
  id?: number;
}

describe('awards flow in a real browser (Chromium, axe-core)', function () {
  let session: BrowserSession;
  let page: Page;
  let committee: Committee;
  let pdfDir: string;
  let pdfPath: string;
  let roundId: number | undefined;
  let decisionId: number | undefined;

  const year = new Date().getFullYear();
  const roundTitle = `Khen thưởng phong trào thi đua "Dân vận khéo" năm ${year}`;
  const pdfName = 'To-trinh-khen-thuong.pdf';
  const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const wrongPosition = 'Chuyen vien';
  const rightPosition = 'Chuyên viên Phòng Giáo dục Trung học';
  const returnReason = 'Chức vụ ghi chưa đúng, viết không dấu; đề nghị ghi đầy đủ chức vụ hiện tại.';

  // Made in this order; the annex orders them: collectives by name, individuals by given name.
  // 'Nguyễn Thị Anh' must come before 'Đặng Văn Ánh': given names first, and Anh before Ánh.
  const nominees: Nominee[] = [
    { kind: 'collective', name: 'Trường Trung học phổ thông Lê Quý Đôn', achievement: 'Vận động phụ huynh xây dựng "Cổng trường an toàn".' },
    { kind: 'collective', name: 'Phòng Giáo dục Trung học', achievement: 'Tiêu biểu trong phong trào "Dân vận khéo" của ngành.' },
    { kind: 'individual', name: 'Đặng Văn Ánh', position: wrongPosition, gender: 'male', birthYear: '1982', achievement: 'Vận động 120 học sinh bỏ học trở lại lớp.' },
    { kind: 'individual', name: 'Nguyễn Thị Anh', position: 'Phó Trưởng phòng', gender: 'female', birthYear: '1980', achievement: 'Tham mưu đề án "Dân vận khéo" trong trường học.' },
    { kind: 'individual', name: 'Trần Văn Bình', position: 'Hiệu trưởng', gender: 'male', birthYear: '1975', achievement: 'Xây dựng mô hình "Trường học thân thiện".' },
  ];
  // Đặng Văn Ánh is returned once (his position) and approved; Trần Văn Bình gets two rejects of three.
  const [schoolNominee, officeNominee, dangVanAnh, nguyenThiAnh, tranVanBinh] = nominees as [Nominee, Nominee, Nominee, Nominee, Nominee];
  const idOf = (nominee: Nominee) => {
    if (!nominee.id) throw new Error(`${nominee.name} has no nomination yet`);
    return nominee.id;
  };

  before(async function () {
    this.timeout(90_000);
    session = await launchBrowserSession();
    page = session.page;
    committee = await createCommittee({ members: 3 });
    pdfDir = await mkdtemp(join(tmpdir(), 'dvk-dossier-'));
    pdfPath = join(pdfDir, pdfName);
    await writeFile(pdfPath, pdfBytes);
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
    if (pdfDir) await rm(pdfDir, { recursive: true, force: true });
  });

  const valueOf = (selector: string) => page.$eval(selector, (element) => (element as HTMLInputElement).value);
  const texts = (selector: string) => page.$$eval(selector, (elements) => elements.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()));
  /** The rows of the tables matched, each as its cells' text. */
  const tableRows = (selector: string) =>
    page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())));
  const nominationRow = (id: number) =>
    // The member's tick column (bulk voting) is left out: the cells read are the nomination's.
    page.$eval(`table a[href="/nominations/${id}"]`, (link) => [...link.closest('tr')!.querySelectorAll<HTMLTableCellElement>('td:not(.table__pick)')].map((td) => td.innerText.replace(/\s+/g, ' ').trim()));
  const nominationStatus = async (id: number) =>
    (await db().selectFrom('nominations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  /** Signs whoever is signed in out (the header's button), then signs this user in through /login. */
  async function signIn(username: string): Promise<void> {
    if (await page.$('form[action="/logout"] button[type="submit"]')) {
      await session.clickAndWait('form[action="/logout"] button[type="submit"]');
    }
    if (session.pathname() !== '/login') await session.visit('/login');
    await session.fillField('username', username);
    await session.fillField('password', TEST_PASSWORD);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status(), `${username} signs in`).to.equal(200);
    expect(session.pathname()).to.equal('/');
  }

  /** From anywhere: "Khen thưởng" in the header, then the round in the list. */
  async function openRound(): Promise<void> {
    await session.clickAndWait('nav.main-nav a[href="/awards"]');
    expect(session.pathname()).to.equal('/awards');
    await session.clickAndWait(`table a[href="/awards/${roundId}"]`);
    expect(session.pathname()).to.equal(`/awards/${roundId}`);
  }

  /** Fills the nomination form (new or edit) with a nominee. */
  async function fillNomination(nominee: Nominee): Promise<void> {
    await page.select('#field-nomineeKind', nominee.kind);
    await session.fillField('nomineeName', nominee.name);
    await session.fillField('position', nominee.position ?? '');
    await page.select('#field-gender', nominee.gender ?? '');
    await session.fillField('birthYear', nominee.birthYear ?? '');
    await session.fillField('achievement', nominee.achievement);
  }

  it('opens a round as the secretary: a title-less round due on 31/02 is refused with both errors listed, then the fixed one is saved with public comment', async function () {
    await signIn(committee.secretary.username);
    expect(await session.text('nav.main-nav a[href="/awards"]')).to.equal(vi('nav.awards'));
    const list = await session.clickAndWait('nav.main-nav a[href="/awards"]');
    expect(list.status()).to.equal(200);
    expect(await session.text('h1')).to.equal(vi('awards.title'));
    expect(await session.text('main p.card')).to.equal(vi('awards.noRounds'));
    await session.inspect('awards-01-rounds-empty');

    expect(await session.text('.page-head a[href="/awards/new"]')).to.equal(vi('awards.newRound'));
    await session.clickAndWait('.page-head a[href="/awards/new"]');
    expect(session.pathname()).to.equal('/awards/new');
    expect(await valueOf('#field-year')).to.equal(String(year));
    expect(await valueOf('#field-issuingUnitId'), 'the secretary\'s province issues').to.equal(String(committee.province.id));
    expect(await valueOf('#field-decisionSuffix')).to.equal('QĐ-UBND');
    expect(await page.$eval('#field-publicComment', (box) => (box as HTMLInputElement).checked)).to.equal(false);

    await session.fillField('title', '');
    await session.fillField('closesOn', `31/02/${year}`);
    const rejected = await session.clickAndWait('form[action="/awards"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);
    const expected = [
      { id: 'field-title', message: vi('validation.required', { label: vi('field.award.title') }) },
      { id: 'field-closesOn', message: vi('validation.date', { label: vi('field.award.closesOn') }) },
    ];
    const invalid = await session.invalidFields();
    expect(invalid.map(({ id, message }) => ({ id, message }))).to.have.deep.members(expected);
    for (const field of invalid) expect(field, field.id).to.include({ describedBy: true, marked: true });
    expect(await session.text('.error-summary h2')).to.equal(vi('common.formErrors', { count: 2 }));
    expect(await session.errorSummaryLinks()).to.have.deep.members(expected.map((field) => ({ href: `#${field.id}`, text: field.message })));
    expect(await valueOf('#field-closesOn'), 'the input is kept').to.equal(`31/02/${year}`);
    expect(await db().selectFrom('award_rounds').select('id').where('issuing_unit_id', '=', committee.province.id).execute(), 'nothing written').to.have.length(0);
    await session.inspect('awards-02-round-form-errors');

    await session.fillField('title', roundTitle);
    await session.fillField('closesOn', dmy(inDays(10)));
    await page.click('#field-publicComment');
    expect(await page.$eval('#field-publicComment', (box) => (box as HTMLInputElement).checked)).to.equal(true);
    const created = await session.clickAndWait('form[action="/awards"] button[type="submit"]');
    expect(created.status()).to.equal(200);
    const match = /^\/awards\/(\d+)$/.exec(session.pathname());
    expect(match, session.pathname()).to.not.equal(null);
    roundId = Number(match![1]);
    const stored = await db().selectFrom('award_rounds').select(['title', 'year', 'status', 'public_comment', 'closes_on', 'decision_suffix']).where('id', '=', roundId).executeTakeFirstOrThrow();
    expect(stored).to.deep.include({ title: roundTitle, year, status: 'open', public_comment: true, closes_on: inDays(10), decision_suffix: 'QĐ-UBND' });

    expect(await session.text('.flash')).to.equal(vi('awards.roundCreated', { title: roundTitle }));
    expect(await session.text('article h1')).to.equal(roundTitle);
    expect(await session.text('article .badge')).to.equal(vi('roundStatus.open'));
    expect(await session.text('main > section.card p.muted')).to.equal(vi('awards.round.noNominations'));
    expect(await session.text('article dl.facts')).to.include(vi('awards.round.committee', { count: 3 }));
    expect(await page.$(`a[href="/awards/${roundId}/nominations/new"]`), 'the secretary does not nominate').to.equal(null);
    await session.inspect('awards-03-round-secretary');
  });

  /**
   * From the round page: "Lập hồ sơ đề nghị", fill the form and save the draft, optionally attach
   * the PDF, then "Nộp hồ sơ" and back to the round page.
   */
  async function nominate(nominee: Nominee, options: { refuseFirst?: boolean; attach?: boolean } = {}): Promise<void> {
    await session.clickAndWait(`a[href="/awards/${roundId}/nominations/new"]`);
    expect(session.pathname()).to.equal(`/awards/${roundId}/nominations/new`);
    expect(await session.text('h1')).to.equal(vi('awards.newNomination'));
    expect(await valueOf('#field-unitId'), 'the agency\'s own department nominates').to.equal(String(committee.department.id));

    if (options.refuseFirst) {
      // Gender and birth year left out, a one-letter name.
      await fillNomination({ ...nominee, name: 'Đ', gender: undefined, birthYear: undefined });
      const refused = await session.clickAndWait(`form[action="/awards/${roundId}/nominations"] button[type="submit"]`);
      expect(refused.status()).to.equal(422);
      const expected = [
        { id: 'field-nomineeName', message: vi('validation.tooShort', { label: vi('field.award.nomineeName'), limit: 2 }) },
        { id: 'field-gender', message: vi('validation.required', { label: vi('field.award.gender') }) },
        { id: 'field-birthYear', message: vi('validation.required', { label: vi('field.award.birthYear') }) },
      ];
      const invalid = await session.invalidFields();
      expect(invalid.map(({ id, message }) => ({ id, message }))).to.have.deep.members(expected);
      for (const field of invalid) expect(field, field.id).to.include({ describedBy: true, marked: true });
      expect(await session.errorSummaryLinks()).to.have.deep.members(expected.map((field) => ({ href: `#${field.id}`, text: field.message })));
      expect(await valueOf('#field-nomineeKind'), 'the choices are kept').to.equal(nominee.kind);
      expect(await valueOf('#field-achievement')).to.equal(nominee.achievement);
      expect(await valueOf('#field-position')).to.equal(nominee.position);
      expect(await db().selectFrom('nominations').select('id').where('round_id', '=', roundId!).where('nominee_kind', '=', 'individual').execute(), 'nothing written').to.have.length(0);
      await session.inspect('awards-04-nomination-form-errors');
    }

    await fillNomination(nominee);
    const saved = await session.clickAndWait(`form[action="/awards/${roundId}/nominations"] button[type="submit"]`);
    expect(saved.status(), nominee.name).to.equal(200);
    const match = /^\/nominations\/(\d+)$/.exec(session.pathname());
    expect(match, session.pathname()).to.not.equal(null);
    nominee.id = Number(match![1]);
    expect(await session.text('.flash')).to.equal(vi('awards.nominationCreated', { name: nominee.name }));
    expect(await session.text('article h1')).to.equal(nominee.name);
    expect(await session.text('article .badge')).to.equal(vi('nominationStatus.draft'));
    expect(await session.text('article p.muted')).to.include(vi(`nomineeKind.${nominee.kind}`));

    if (options.attach) {
      expect(await session.text('#dossier p.muted')).to.equal(vi('awards.noFiles'));
      await page.select('#field-kind', 'proposal');
      const input = (await page.$('#field-file')) as ElementHandle<HTMLInputElement> | null;
      if (!input) throw new Error('no file input on the nomination page');
      await input.uploadFile(pdfPath);
      const attached = await session.clickAndWait(`form[action^="/nominations/${nominee.id}/files"] button[type="submit"]`);
      expect(attached.status()).to.equal(200);
      expect(session.pathname()).to.equal(`/nominations/${nominee.id}`);
      expect(await session.text('.flash')).to.equal(vi('awards.fileAttached', { name: pdfName }));
      expect(await texts('#dossier .file-list li > span')).to.deep.equal([`${vi('dossierKind.proposal')}: ${pdfName} (1 KB)`]);
      const stored = await db().selectFrom('nomination_files').select(['file_name', 'kind', 'size_bytes']).where('nomination_id', '=', nominee.id).execute();
      expect(stored).to.deep.equal([{ file_name: pdfName, kind: 'proposal', size_bytes: pdfBytes.length }]);
      await session.inspect('awards-05-nomination-agency-dossier');
    }

    expect(await session.text(`form[action="/nominations/${nominee.id}/submit"] button`)).to.equal(vi('awards.submit'));
    if (options.attach) {
      // The proposal alone is not a dossier: submitting names the two documents still missing.
      const refused = await session.clickAndWait(`form[action="/nominations/${nominee.id}/submit"] button[type="submit"]`);
      expect(refused.status()).to.equal(422);
      expect(await session.errorSummaryLinks()).to.deep.equal([
        { href: '#field-files.minutes', text: vi('awards.dossierMissing.minutes') },
        { href: '#field-files.achievement_report', text: vi('awards.dossierMissing.achievement_report') },
      ]);
      expect(await texts('#dossier .checklist li')).to.deep.equal([
        `✓ ${vi('dossierKind.proposal')} (${vi('awards.checklist.present')})`,
        `✗ ${vi('dossierKind.minutes')} (${vi('awards.checklist.missing')})`,
        `✗ ${vi('dossierKind.achievement_report')} (${vi('awards.checklist.missing')})`,
      ]);
      expect(await nominationStatus(nominee.id), 'still a draft').to.equal('draft');
      await session.inspect('awards-05b-nomination-checklist');
    }
    // The other documents, attached as the first one was (that upload is driven above).
    await attachRequiredFiles(nominee.id);
    await session.clickAndWait(`form[action="/nominations/${nominee.id}/submit"] button[type="submit"]`);
    expect(session.pathname()).to.equal(`/nominations/${nominee.id}`);
    expect(await session.text('.flash')).to.equal(vi('awards.nominationSubmitted', { name: nominee.name }));
    expect(await session.text('article .badge')).to.equal(vi('nominationStatus.submitted'));
    expect(await page.$(`form[action="/nominations/${nominee.id}/submit"]`), 'submitted: no second submit').to.equal(null);
    expect(await page.$(`a[href="/nominations/${nominee.id}/edit"]`), 'submitted: no longer editable').to.equal(null);

    await session.clickAndWait(`main a[href="/awards/${roundId}"]`);
    expect(session.pathname()).to.equal(`/awards/${roundId}`);
  }

  it('nominates two collectives as the agency from the round page ("Lập hồ sơ đề nghị") and submits each', async function () {
    if (!roundId) this.skip();
    await signIn(committee.agency.username);
    await openRound();
    expect(await session.text(`a[href="/awards/${roundId}/nominations/new"]`)).to.equal(vi('awards.round.nominate'));
    await nominate(schoolNominee);
    await nominate(officeNominee);
    expect(await page.$$('table tbody tr')).to.have.length(2);
  });

  it('nominates three individuals: the first is refused without gender and birth year, then saved with a PDF dossier; each is submitted', async function () {
    if (!roundId || !officeNominee.id) this.skip();
    await nominate(dangVanAnh, { refuseFirst: true, attach: true });
    await nominate(nguyenThiAnh);
    await nominate(tranVanBinh);

    const stored = await db().selectFrom('nominations').select(['nominee_name', 'nominee_kind', 'status', 'unit_id']).where('round_id', '=', roundId!).orderBy('id').execute();
    expect(stored).to.deep.equal(nominees.map((n) => ({ nominee_name: n.name, nominee_kind: n.kind, status: 'submitted', unit_id: committee.department.id })));
    expect(await page.$$('table tbody tr')).to.have.length(5);
    expect(await nominationRow(idOf(dangVanAnh))).to.deep.equal([`${dangVanAnh.name} ${wrongPosition}`, vi('nomineeKind.individual'), 'Sở Giáo dục và Đào tạo', vi('nominationStatus.submitted')]);
    await session.inspect('awards-06-round-agency');
    await session.inspectOnPhone('awards-06-round-agency-phone');
  });

  it('returns one nomination from the secretary\'s review queue with a reason, after reading its dossier', async function () {
    if (!roundId || !dangVanAnh.id) this.skip();
    const id = idOf(dangVanAnh);
    await signIn(committee.secretary.username);
    await openRound();
    const queueTab = `nav.tabs a[href="/awards/${roundId}?status=submitted"]`;
    expect(await session.text(queueTab)).to.equal(`${vi('nominationStatus.submitted')} (5)`);
    await session.clickAndWait(queueTab);
    expect(new URL(page.url()).searchParams.get('status')).to.equal('submitted');
    expect(await page.$eval(queueTab, (tab) => tab.getAttribute('aria-current'))).to.equal('page');
    expect(await page.$$('table tbody tr')).to.have.length(5);
    expect((await nominationRow(id))[4], 'no votes yet').to.equal(vi('awards.voteSummary', { approvals: 0, rejections: 0 }));

    await session.clickAndWait(`table a[href="/nominations/${id}"]`);
    expect(session.pathname()).to.equal(`/nominations/${id}`);
    expect(await session.text('article h1')).to.equal(dangVanAnh.name);
    expect(await page.$(`a[href="/nominations/${id}/edit"]`), 'the secretary does not edit').to.equal(null);
    expect(await page.$('#field-file'), 'nor attach').to.equal(null);
    const downloaded = await session.download('#dossier .file-list a[download]');
    expect(downloaded.endsWith(pdfName), downloaded).to.equal(true);
    expect((await readFile(downloaded)).equals(pdfBytes), 'the dossier comes back byte for byte').to.equal(true);
    expect(await session.text('#field-reason')).to.equal('');
    await session.inspect('awards-07-nomination-secretary-return');

    await session.fillField('reason', returnReason);
    const returned = await session.clickAndWait(`form[action="/nominations/${id}/return"] button[type="submit"]`);
    expect(returned.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/awards/${roundId}`);
    expect(await session.text('.flash')).to.equal(vi('awards.nominationReturned', { name: dangVanAnh.name }));
    expect(await page.$$('table tbody tr'), 'the queue holds the other four').to.have.length(4);
    expect(await page.$(`table a[href="/nominations/${id}"]`)).to.equal(null);
    expect(await nominationStatus(id)).to.equal('returned');
  });

  it('shows the agency the returned status and reason; the agency corrects the position and resubmits', async function () {
    if (!roundId || !dangVanAnh.id) this.skip();
    const id = idOf(dangVanAnh);
    await signIn(committee.agency.username);
    await openRound();
    expect((await nominationRow(id))[3]).to.equal(vi('nominationStatus.returned'));
    await session.clickAndWait(`table a[href="/nominations/${id}"]`);
    expect(await session.text('article .badge')).to.equal(vi('nominationStatus.returned'));
    expect(await session.text('article .alert')).to.equal(vi('awards.returnedBecause', { reason: returnReason }));
    expect(await texts('#dossier .file-list a'), 'the dossier stays attached').to.deep.equal([pdfName, 'bien-ban-hop-xet.pdf', 'bao-cao-thanh-tich.pdf']);

    await session.clickAndWait(`a[href="/nominations/${id}/edit"]`);
    expect(session.pathname()).to.equal(`/nominations/${id}/edit`);
    expect(await session.text('h1')).to.equal(vi('awards.editNomination'));
    expect(await valueOf('#field-nomineeName')).to.equal(dangVanAnh.name);
    expect(await valueOf('#field-position')).to.equal(wrongPosition);
    expect(await valueOf('#field-gender')).to.equal('male');
    expect(await valueOf('#field-birthYear')).to.equal('1982');
    dangVanAnh.position = rightPosition;
    await session.fillField('position', rightPosition);
    const saved = await session.clickAndWait(`form[action="/nominations/${id}"] button[type="submit"]`);
    expect(saved.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/nominations/${id}`);
    expect(await session.text('.flash')).to.equal(vi('awards.nominationUpdated', { name: dangVanAnh.name }));
    const facts = await page.$$eval('dl.facts dt', (dts) => dts.map((dt) => [(dt.textContent ?? '').trim(), (dt.nextElementSibling?.textContent ?? '').trim()]));
    expect(facts).to.deep.include([vi('awards.nominee.position'), rightPosition]);

    await session.clickAndWait(`form[action="/nominations/${id}/submit"] button[type="submit"]`);
    expect(await session.text('.flash')).to.equal(vi('awards.nominationSubmitted', { name: dangVanAnh.name }));
    expect(await session.text('article .badge')).to.equal(vi('nominationStatus.submitted'));
    expect(await page.$('article .alert'), 'the reason is gone with the return').to.equal(null);
    const stored = await db().selectFrom('nominations').select(['status', 'position', 'return_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).to.deep.equal({ status: 'submitted', position: rightPosition, return_reason: null });
  });

  // One test per member, each signing in and voting on all five from the round page.
  for (const memberIndex of [0, 1, 2]) {
    const votesOf = memberIndex < 2 ? 'approve on four, reject Trần Văn Bình' : 'approve on all five';
    it(`lets member ${memberIndex + 1} of 3 vote from the round page: ${votesOf}`, async function () {
      if (!roundId || nominees.some((n) => !n.id)) this.skip();
      const member = committee.members[memberIndex]!;
      await signIn(member.username);
      await openRound();
      if (memberIndex === 2) {
        // The third member approves all five at once: every one ticked on the round page, one vote.
        for (const nominee of nominees) await page.click(`#pick-${idOf(nominee)}`);
        await page.click('#bulk-vote input[name="vote"][value="approve"]');
        const voted = await session.clickAndWait('#bulk-vote button[type="submit"]');
        expect(voted.status()).to.equal(200);
        expect(await session.text('.flash')).to.equal(vi('awards.bulkVote.done', { count: nominees.length, vote: vi('vote.approve') }));
        for (const nominee of nominees) expect((await nominationRow(idOf(nominee)))[4], `the vote on ${nominee.name}`).to.equal(vi('vote.approve'));
        await session.inspect('awards-08b-round-member-bulk-vote');
        await session.inspectOnPhone('awards-08b-round-member-bulk-vote-phone');
      }
      for (const nominee of memberIndex === 2 ? [] : nominees) {
        const id = idOf(nominee);
        const vote = nominee === tranVanBinh && memberIndex < 2 ? 'reject' : 'approve';
        // While the round is open a member sees no running tally: name, kind, unit, status, own vote.
        const row = await nominationRow(id);
        expect(row, `no tally for a member on ${nominee.name}`).to.have.length(5);
        expect(row[4], `not yet voted on ${nominee.name}`).to.equal('—');
        await session.clickAndWait(`table a[href="/nominations/${id}"]`);
        expect(session.pathname()).to.equal(`/nominations/${id}`);
        expect(await texts('#field-vote label.radio')).to.deep.equal([vi('vote.approve'), vi('vote.reject')]);
        if (memberIndex === 0 && nominee === schoolNominee) {
          expect(await page.$(`form[action="/nominations/${id}/return"]`), 'a member does not return').to.equal(null);
          expect(await page.$(`form[action="/nominations/${id}/recusals"] #field-reason`), 'but may stand aside, with a reason').to.not.equal(null);
          expect(await page.$('#field-file'), 'nor attach').to.equal(null);
          // The vote form without a choice is refused first.
          const refused = await session.clickAndWait(`form[action="/nominations/${id}/votes"] button[type="submit"]`);
          expect(refused.status()).to.equal(422);
          const required = vi('validation.required', { label: vi('field.award.vote') });
          expect(await session.errorSummaryLinks()).to.deep.equal([{ href: '#field-vote', text: required }]);
          expect(await session.text('#field-vote .error-message')).to.equal(required);
          await session.inspect('awards-08-nomination-member-vote');
        }
        await page.click(`#field-vote input[value="${vote}"]`);
        if (vote === 'reject') await session.fillField('comment', 'Thành tích chưa tiêu biểu.');
        const voted = await session.clickAndWait(`form[action="/nominations/${id}/votes"] button[type="submit"]`);
        expect(voted.status()).to.equal(200);
        expect(session.pathname()).to.equal(`/awards/${roundId}`);
        expect(await session.text('.flash')).to.equal(vi('awards.voteRecorded'));
        expect((await nominationRow(id))[4], `the vote on ${nominee.name}`).to.equal(vi(`vote.${vote}`));
      }
      const votes = await db().selectFrom('votes').select(['nomination_id', 'vote', 'comment']).where('member_id', '=', member.id).orderBy('nomination_id').execute();
      expect(votes.map((v) => [v.nomination_id, v.vote])).to.deep.equal(
        nominees.map((n) => [idOf(n), n === tranVanBinh && memberIndex < 2 ? 'reject' : 'approve']),
      );
    });
  }

  it('publishes the list, closes the round (4 approved, 1 rejected) and issues the decision for every approved nomination with the next number', async function () {
    if (!roundId || nominees.some((n) => !n.id)) this.skip();
    await signIn(committee.secretary.username);
    await openRound();
    expect((await nominationRow(idOf(tranVanBinh)))[4]).to.equal(vi('awards.voteSummary', { approvals: 1, rejections: 2 }));

    expect(await session.text(`form[action="/awards/${roundId}/publish"] button`)).to.equal(vi('awards.round.publish'));
    await session.clickAndWait(`form[action="/awards/${roundId}/publish"] button[type="submit"]`);
    expect(await session.text('.flash')).to.equal(vi('awards.roundPublished'));
    expect(await page.$(`form[action="/awards/${roundId}/publish"]`), 'published once').to.equal(null);
    expect(await page.$(`a[href="/public/awards/${roundId}"]`)).to.not.equal(null);

    expect(await session.text(`form[action="/awards/${roundId}/close"] button`)).to.equal(vi('awards.round.close'));
    // Before the closing date: closing asks for the box, the early flag and its reason, and says what is missing.
    const refused = await session.clickAndWait(`form[action="/awards/${roundId}/close"] button[type="submit"]`);
    expect(refused.status()).to.equal(422);
    expect((await session.errorSummaryLinks()).map((link) => link.href)).to.deep.equal(['#field-confirmed']);
    await page.click('#field-confirmed');
    const early = await session.clickAndWait(`form[action="/awards/${roundId}/close"] button[type="submit"]`);
    expect(early.status()).to.equal(409);
    expect(await session.text('#close .alert')).to.equal(vi('awards.roundStillOpen'));
    expect(await nominationStatus(idOf(tranVanBinh)), 'still open').to.equal('submitted');
    await page.click('#field-early');
    await session.fillField('reason', 'Hội đồng đã họp xét đủ hồ sơ, các đơn vị đã nộp đủ trước hạn.');
    await page.click('#field-confirmed');
    await session.inspect('awards-08b-round-close-early');
    await session.clickAndWait(`form[action="/awards/${roundId}/close"] button[type="submit"]`);
    expect(session.pathname()).to.equal(`/awards/${roundId}`);
    expect(await session.text('.flash')).to.equal(vi('awards.roundClosedFlash', { approved: 4, rejected: 1 }));
    expect(await session.text('article .badge')).to.equal(vi('roundStatus.closed'));
    expect(await page.$(`form[action="/awards/${roundId}/close"]`), 'closed once').to.equal(null);
    for (const nominee of nominees) {
      const status = nominee === tranVanBinh ? 'rejected' : 'approved';
      expect(await nominationStatus(idOf(nominee)), nominee.name).to.equal(status);
      expect((await nominationRow(idOf(nominee)))[3], nominee.name).to.equal(vi(`nominationStatus.${status}`));
    }
    await session.inspect('awards-09-round-closed');

    expect(await session.text(`a[href="/awards/${roundId}/decisions/new"]`)).to.equal(vi('awards.round.issueDecision'));
    await session.clickAndWait(`a[href="/awards/${roundId}/decisions/new"]`);
    expect(session.pathname()).to.equal(`/awards/${roundId}/decisions/new`);
    expect(await session.text('h1')).to.equal(vi('awards.decision.new'));
    const candidates = await page.$$eval('input[name="nominationIds"]', (boxes) =>
      boxes.map((box) => ({ label: (box.closest('label')?.textContent ?? '').trim(), checked: (box as HTMLInputElement).checked })));
    expect(candidates, 'the approved ones, all ticked, in annex order').to.deep.equal(
      [officeNominee, schoolNominee, nguyenThiAnh, dangVanAnh].map((n) => ({ label: n.name, checked: true })),
    );
    expect(await valueOf('#field-number'), 'the number is left to the register').to.equal('');
    await session.inspect('awards-10-decision-form');

    await session.fillField('signedOn', dmy(inDays(0)));
    await session.fillField('signerName', 'Hồ Văn Mừng');
    await session.fillField('signerTitle', 'Phó Chủ tịch Ủy ban nhân dân tỉnh');
    // Issuing takes a number and is final: without the box ticked the form comes back, nothing issued.
    await session.clickAndWait(`form[action="/awards/${roundId}/decisions"] button[type="submit"]`);
    expect((await session.errorSummaryLinks()).map((link) => link.href)).to.deep.equal(['#field-confirmed']);
    expect(await db().selectFrom('decisions').select('id').where('round_id', '=', roundId).execute()).to.deep.equal([]);
    await page.click('#field-confirmed');
    const issued = await session.clickAndWait(`form[action="/awards/${roundId}/decisions"] button[type="submit"]`);
    expect(issued.status()).to.equal(200);
    const match = /^\/decisions\/(\d+)$/.exec(session.pathname());
    expect(match, session.pathname()).to.not.equal(null);
    decisionId = Number(match![1]);
    expect(await session.text('.flash')).to.equal(vi('awards.decision.created', { number: '1/QĐ-UBND', count: 4 }));
  });

  it('lists exactly the approved nominees on the decision page and the printable annex: collectives first, individuals by given name, numbered 1..4', async function () {
    if (!decisionId) this.skip();
    const collectiveRows = [
      ['1', officeNominee.name, 'Sở Giáo dục và Đào tạo'],
      ['2', schoolNominee.name, 'Sở Giáo dục và Đào tạo'],
    ];
    // By given name, whatever the family name: Nguyễn Thị Anh before Đặng Văn Ánh (Anh before Ánh).
    const individualRows = [
      ['3', nguyenThiAnh.name, 'Phó Trưởng phòng', 'Sở Giáo dục và Đào tạo'],
      ['4', dangVanAnh.name, rightPosition, 'Sở Giáo dục và Đào tạo'],
    ];
    const annexTables = async () => ({
      headings: await texts('h3'),
      collectives: await tableRows('table.annex:has(th:nth-child(3):last-child)'),
      individuals: await tableRows('table.annex:has(th:nth-child(4))'),
    });
    const expectedTables = { headings: [vi('awards.decision.collectives'), vi('awards.decision.individuals')], collectives: collectiveRows, individuals: individualRows };

    expect(await session.text('main h1')).to.equal(vi('awards.decision.title', { number: '1/QĐ-UBND' }));
    const facts = await page.$$eval('dl.facts dt', (dts) => dts.map((dt) => [(dt.textContent ?? '').trim(), (dt.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim()]));
    expect(facts).to.deep.include([vi('awards.decision.signedOn'), dmy(inDays(0))]);
    expect(facts).to.deep.include([vi('awards.decision.signer'), 'Phó Chủ tịch Ủy ban nhân dân tỉnh Hồ Văn Mừng']);
    // The decision page marks, for whoever prints, each certificate not printed yet; the printable annex does not.
    const notPrinted = vi('certificates.notPrinted');
    const marked = (rows: string[][]) => rows.map((row) => row.map((cell, i) => (i === 1 ? `${cell} ${notPrinted}` : cell)));
    expect(await annexTables()).to.deep.equal({ ...expectedTables, collectives: marked(collectiveRows), individuals: marked(individualRows) });
    expect(await session.text('#printed-count')).to.equal(vi('certificates.printedCount', { printed: '0', total: '4' }));
    expect(await session.text('main')).to.not.include(tranVanBinh.name);
    await session.inspect('awards-11-decision');

    const stored = await db().selectFrom('certificates').select(['register_number', 'recipient_name', 'recipient_kind']).where('decision_id', '=', decisionId!).orderBy('register_number').execute();
    expect(stored.map((c) => [c.register_number, c.recipient_name])).to.deep.equal([...collectiveRows, ...individualRows].map((row) => [Number(row[0]), row[1]]));

    await session.clickAndWait(`a[href="/decisions/${decisionId}/annex"]`);
    expect(session.pathname()).to.equal(`/decisions/${decisionId}/annex`);
    // The People's Committee awards: "Ủy ban nhân dân tỉnh …", not the territory's name (issue 22).
    expect(await session.text('.annex-issuer')).to.equal(bodyName(committee.province.name, 'province'));
    expect(await session.text('h1')).to.equal('DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH');
    expect(await session.text('.annex-subtitle')).to.equal(`(Kèm theo Quyết định số 1/QĐ-UBND ngày ${dmy(inDays(0))} của ${bodyName(committee.province.name, 'province')})`);
    expect(await annexTables()).to.deep.equal(expectedTables);
    expect(await session.text('.annex-total')).to.equal(vi('awards.decision.recipients', { collectives: '2', individuals: '2' }));
    expect(await page.$$('table.annex a'), 'the printable annex carries no links').to.have.length(0);
    expect(await session.text('main')).to.not.include(tranVanBinh.name);
    await session.inspect('awards-12-annex');
  });

  it('shows the published list to anyone, without signing in', async function () {
    if (!roundId || !decisionId) this.skip();
    await session.clickAndWait(`a[href="/decisions/${decisionId}"]`);
    await session.clickAndWait(`main a[href="/awards/${roundId}"]`);
    const publicPath = await page.$eval(`a[href="/public/awards/${roundId}"]`, (link) => link.getAttribute('href'));
    await session.clickAndWait('form[action="/logout"] button[type="submit"]');
    expect(session.pathname()).to.equal('/login');

    const shown = await session.visit(publicPath!);
    expect(shown.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/public/awards/${roundId}`);
    expect(await page.$('form[action="/logout"]'), 'nobody is signed in').to.equal(null);
    expect(await session.text('h1')).to.equal(vi('awards.public.title'));
    expect(await session.text('main .lead')).to.equal(roundTitle);
    expect(await texts('main h2')).to.deep.equal([vi('awards.decision.collectives'), vi('awards.decision.individuals')]);
    const names = await page.$$eval('main ol', (lists) => lists.map((list) => [...list.querySelectorAll('li > strong')].map((strong) => (strong.textContent ?? '').trim())));
    expect(names, 'the approved nominees, in annex order').to.deep.equal([[officeNominee.name, schoolNominee.name], [nguyenThiAnh.name, dangVanAnh.name]]);
    expect(await session.text('main')).to.include(rightPosition).and.not.include(tranVanBinh.name);
    await session.inspect('awards-13-public');
    await session.inspectOnPhone('awards-13-public-phone');
  });
});
