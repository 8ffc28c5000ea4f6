// Evaluation by criteria in a real Chromium: the unit attaches a photo to its model, a committee member
// (who sees it beside the form) scores three models from the set's
// page (one refused first: a score over its maximum is marked at its criterion, what was typed kept),
// submits them, and the secretary recognises from the results page the ones that reach the threshold.
// Each page checked with axe-core at desktop and phone width.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { completedModel, createSet } from '../support/evaluation.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('scoring models by criteria and recognising them, in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let committee: Committee;
  let setId: number;
  let models: number[];

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee({ members: 2 });
    setId = (await createSet(committee, { threshold: 70 })).id;
    models = [
      await completedModel(committee, 'Chợ phiên không tiền mặt'),
      await completedModel(committee, 'Đường hoa nông thôn mới'),
      await completedModel(committee, 'Sân chơi cho thiếu nhi'),
    ];
    session = await launchBrowserSession();
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('the unit attaches a photo to its model on the model\'s page, as evidence for the committee', async () => {
    await session.logIn(committee.agency.username);
    await session.visit(`/models/${models[0]}`);
    const photo = join(mkdtempSync(join(tmpdir(), 'dvk-evidence-')), 'anh-cho-phien.png');
    writeFileSync(photo, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
    const input = await session.page.$('#field-file');
    await (input as unknown as { uploadFile: (path: string) => Promise<void> }).uploadFile(photo);
    const sent = await session.clickAndWait('#evidence button[type="submit"]');
    expect(sent.status()).to.equal(200);
    expect(await session.text('.flash')).to.equal(vi('models.fileAttached', { name: 'anh-cho-phien.png' }));
    expect(await session.text('#evidence .file-list a')).to.equal('anh-cho-phien.png');
    await session.inspect('evaluation-00-evidence');
    await session.inspectOnPhone('evaluation-00-evidence-phone');
    await session.page.deleteCookie(...(await session.page.cookies()));
  });

  it('a member scores three models: a score over its maximum is refused at its criterion, then each is submitted', async () => {
    await session.logIn(committee.members[0]!.username);
    await session.visit(`/criteria-sets/${setId}`);
    expect(await session.text('#to-score-title')).to.equal(vi('evaluation.models'));
    await session.inspect('evaluation-01-member-set');
    await session.inspectOnPhone('evaluation-01-member-set-phone');
    const plan: [number, [string, string, string]][] = [[models[0]!, ['25', '35,5', '25']], [models[1]!, ['20', '30', '20']], [models[2]!, ['10', '20', '10']]];
    for (const [index, [model, [tc1, tc2, tc3]]] of plan.entries()) {
      await session.visit(`/criteria-sets/${setId}/models/${model}`);
      if (index === 0) {
        expect(await session.text('aside .file-list a'), 'the unit\'s evidence beside the form').to.equal('anh-cho-phien.png');
        await session.typeInto('#field-score_TC1', '31');
        await session.typeInto('#field-score_TC2', tc2);
        await session.typeInto('#field-score_TC3', tc3);
        const refused = await session.clickAndWait('button[name="action"][value="submit"]');
        expect(refused.status()).to.equal(422);
        expect(await session.errorSummaryLinks()).to.deep.include({ href: '#field-score_TC1', text: vi('evaluation.overMax', { code: 'TC1', max: '30' }) });
        expect(await session.page.$eval('#field-score_TC2', (input) => (input as HTMLInputElement).value), 'what was typed is kept').to.equal(tc2);
        await session.inspect('evaluation-02-refused');
        await session.inspectOnPhone('evaluation-02-refused-phone');
        await session.page.$eval('#field-score_TC1', (input) => { (input as HTMLInputElement).value = ''; });
        await session.typeInto('#field-score_TC1', tc1);
      } else {
        await session.typeInto('#field-score_TC1', tc1);
        await session.typeInto('#field-score_TC2', tc2);
        await session.typeInto('#field-score_TC3', tc3);
      }
      const sent = await session.clickAndWait('button[name="action"][value="submit"]');
      expect(sent.status()).to.equal(200);
      expect(session.pathname()).to.equal(`/criteria-sets/${setId}`);
    }
    const states = await db().selectFrom('evaluations').select(['model_id', 'status', 'total']).where('set_id', '=', setId).orderBy('model_id').execute();
    expect(states.map((row) => [row.model_id, row.status, Number(row.total)])).to.deep.equal([[models[0], 'submitted', 85.5], [models[1], 'submitted', 70], [models[2], 'submitted', 40]]);
  });

  it('the secretary reads the results and recognises the models that reach the threshold in one step', async () => {
    await session.visit('/logout').catch(() => undefined);
    await session.page.deleteCookie(...(await session.page.cookies()));
    await session.logIn(committee.secretary.username);
    await session.visit(`/criteria-sets/${setId}`);
    expect(await session.text('#results-title')).to.equal(vi('evaluation.results'));
    await session.inspect('evaluation-03-results');
    await session.inspectOnPhone('evaluation-03-results-phone');
    await session.page.click('#field-confirmed');
    const done = await session.clickAndWait(`form[action="/criteria-sets/${setId}/recognitions"] button[type="submit"]`);
    expect(done.status()).to.equal(200);
    expect(await session.text('.flash')).to.equal(vi('evaluation.recognised', { count: 2 }));
    const statuses = await db().selectFrom('models').select(['id', 'status']).where('id', 'in', models).orderBy('id').execute();
    expect(statuses.map((row) => row.status)).to.deep.equal(['recognized', 'recognized', 'completed']);
    await session.inspect('evaluation-04-recognised');

    // The year's report has its section on evaluation by criteria.
    await session.visit(`/reports?year=2025&unitId=${committee.province.id}`);
    expect(await session.text('#report-evaluation h2')).to.equal(vi('reports.evaluation'));
    expect(await session.text('#report-evaluation p')).to.match(/^\d+ mô hình được chấm điểm theo bộ tiêu chí, \d+ mô hình được công nhận/);
    await session.inspect('evaluation-05-report');
    await session.inspectOnPhone('evaluation-05-report-phone');
  });
});
