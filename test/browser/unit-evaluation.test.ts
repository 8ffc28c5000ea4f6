// Units scored by a criteria set, in a real Chromium: the secretary creates a set that scores the
// communes, a commune's clerk sends its self-assessment, a committee member scores the commune with
// the self-assessment shown at each criterion, and the secretary reads the results with the
// self-assessment beside (the clerk finds the set in the home page's work queue). Each page checked with axe-core at desktop and phone width.
import { expect } from 'chai';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('scoring communes by criteria with their self-assessment, in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let committee: Committee;
  let commune: { id: number };
  let clerk: { username: string };
  let setId: number;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee({ members: 1 });
    commune = await createUnit({ parentId: committee.province.id, kind: 'commune', name: 'Xã Bắc Thử Nghiệm' });
    clerk = await createUserWithToken({ role: 'agency', unitId: commune.id, fullName: 'Văn phòng xã Bắc Thử Nghiệm' });
    session = await launchBrowserSession();
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  async function signInAs(username: string) {
    await session.page.deleteCookie(...(await session.page.cookies()));
    await session.logIn(username);
  }

  it('the secretary creates a set that scores units, typed line by line', async () => {
    await session.logIn(committee.secretary.username);
    await session.visit('/criteria-sets');
    await session.typeInto('#field-title', 'Bộ tiêu chí "Chính quyền thân thiện" năm 2025');
    await session.page.$eval('#field-year', (input) => { (input as HTMLInputElement).value = ''; });
    await session.typeInto('#field-year', '2025');
    await session.typeInto('#field-threshold', '80');
    await session.page.select('#field-subject', 'units');
    await session.page.click('input[name="unitKinds"][value="commune"]');
    await session.typeInto('#field-criteria', 'TC1 | Tiếp dân, giải quyết thủ tục đúng hẹn | 50 | I. Phục vụ\nTC2 | Người dân hài lòng | 50 | II. Hài lòng');
    const created = await session.clickAndWait('#new-set button[type="submit"]');
    expect(created.status()).to.equal(200);
    const set = await db().selectFrom('criteria_sets').select(['id', 'subject', 'unit_kinds']).where('issuing_unit_id', '=', committee.province.id).executeTakeFirstOrThrow();
    expect([set.subject, set.unit_kinds]).to.deep.equal(['units', ['commune']]);
    setId = set.id;
    expect(session.pathname()).to.equal(`/criteria-sets/${setId}`);
  });

  it('the commune sends its self-assessment; a member scores the commune with it beside; the secretary reads both', async () => {
    await signInAs(clerk.username);
    // The commune's work queue on the home page leads to the form.
    await session.visit('/');
    expect(await session.text(`a[href="/criteria-sets/${setId}/self-assessment"]`)).to.include(vi('tasks.self_assessments_to_send'));
    await session.visit(`/criteria-sets/${setId}`);
    expect(await session.text('#self-assessment-title')).to.equal(vi('evaluation.selfAssessment'));
    await session.inspect('unit-evaluation-01-commune-set');
    await session.inspectOnPhone('unit-evaluation-01-commune-set-phone');
    await session.visit(`/criteria-sets/${setId}/self-assessment`);
    await session.inspect('unit-evaluation-02-self-assessment');
    await session.inspectOnPhone('unit-evaluation-02-self-assessment-phone');
    await session.typeInto('#field-score_TC1', '45');
    await session.typeInto('#field-comment_TC1', '100% hồ sơ trả đúng hẹn');
    await session.typeInto('#field-score_TC2', '42,5');
    const sent = await session.clickAndWait('button[name="action"][value="submit"]');
    expect(sent.status()).to.equal(200);
    expect(await session.text('.flash')).to.equal(vi('evaluation.selfSent', { total: '87,5' }));

    await signInAs(committee.members[0]!.username);
    await session.visit(`/criteria-sets/${setId}`);
    expect(await session.text('#to-score-title')).to.equal(vi('evaluation.units'));
    await session.visit(`/criteria-sets/${setId}/units/${commune.id}`);
    expect(await session.text('.criterion__self')).to.equal(`${vi('evaluation.selfAssessment')}: 45 — 100% hồ sơ trả đúng hẹn`);
    await session.inspect('unit-evaluation-03-member-form');
    await session.inspectOnPhone('unit-evaluation-03-member-form-phone');
    await session.typeInto('#field-score_TC1', '40');
    await session.typeInto('#field-score_TC2', '38');
    const scored = await session.clickAndWait('button[name="action"][value="submit"]');
    expect(scored.status()).to.equal(200);

    await signInAs(committee.secretary.username);
    await session.visit(`/criteria-sets/${setId}`);
    const row = await session.page.$$eval('#results tbody tr', (rows) => rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(row).to.deep.equal([['1', 'Xã Bắc Thử Nghiệm', 'Tỉnh thử nghiệm', '1', '78', '0', vi('evaluation.no'), '87,5']]);
    await session.inspect('unit-evaluation-04-results');
    await session.inspectOnPhone('unit-evaluation-04-results-phone');
    const rows = await db().selectFrom('evaluations').select(['unit_id', 'self_assessment', 'total']).where('set_id', '=', setId).orderBy('id').execute();
    expect(rows.map((r) => [r.unit_id, r.self_assessment, Number(r.total)])).to.deep.equal([[commune.id, true, 87.5], [commune.id, false, 78]]);
  });
});
