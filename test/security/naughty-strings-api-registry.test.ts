// The Big List of Naughty Strings (test/support/naughty.ts says how), this file: every text field of the registry's JSON API (units, users, models and their progress reports) and the model search.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, type ApiResponse } from '../support/http.ts';
import { agencyToken, f, implementingModel, modelBody, naughtyDescribe, SAMPLE, SWEEP, throughApi, today } from '../support/naughty.ts';
import { countRows, errorListsField, Failures, inPool, stored } from '../support/security.ts';

naughtyDescribe("the registry's JSON API", () => {
  describe(`JSON API (${SWEEP.length} strings per field)`, () => {
    it('POST /api/v1/units (admin): name', async () => {
      const accepted = await throughApi('unit name', SWEEP, {
        fields: ['name'],
        send: (values) => api('POST', '/units', { token: f.admin.token, body: { code: `N${uniqueSuffix()}`, kind: 'agency', parentId: f.adminUnit.id, ...values } }),
        snapshot: () => countRows('units', { parent_id: f.adminUnit.id }),
        readBack: async ({ response }) => {
          const unit = await api('GET', `/units/${response.body.id}`, { token: f.admin.token });
          return { values: { name: unit.body.name }, html: (await f.browsers.admin.get(`/admin/units/${response.body.id}/edit`)).html };
        },
      });
      expect(accepted.length).to.be.greaterThan(SWEEP.length / 2);
    });

    it('PATCH /api/v1/users/:id (admin): fullName', async () => {
      // Creating a user hashes its password with scrypt at full strength: the create path gets the
      // sample below; here each string edits its own user (made by the factory).
      const targets: number[] = [];
      for (let i = 0; i < SWEEP.length; i++) targets.push((await createUser({ role: 'agency', unitId: f.adminUnit.id })).id);
      let target = 0;
      await throughApi('user fullName (edit)', SWEEP, {
        fields: ['fullName'],
        prepare: async (index) => { target = targets[index]!; },
        send: (values) => api('PATCH', `/users/${target}`, { token: f.admin.token, body: values }),
        snapshot: () => db().selectFrom('users').select(['full_name', 'updated_at']).where('id', '=', target).executeTakeFirstOrThrow()
          .then(async (row) => ({ ...row, audit: await countRows('audit_log', { entity_type: 'user', entity_id: String(target) }) })),
        readBack: async ({ response }) => {
          const user = await api('GET', `/users/${response.body.id}`, { token: f.admin.token });
          return { values: { fullName: user.body.fullName }, html: (await f.browsers.admin.get(`/admin/users/${response.body.id}/edit`)).html };
        },
      });
    });

    it(`POST /api/v1/users (admin): fullName (${SAMPLE.length} strings)`, async () => {
      await throughApi('user fullName (create)', SAMPLE, {
        fields: ['fullName'],
        send: (values) => api('POST', '/users', { token: f.admin.token, body: { username: `n${uniqueSuffix().toLowerCase()}`, password: TEST_PASSWORD, role: 'agency', unitId: f.adminUnit.id, ...values } }),
        snapshot: () => countRows('users', { unit_id: f.adminUnit.id }),
        readBack: async ({ response }) => {
          const user = await api('GET', `/users/${response.body.id}`, { token: f.admin.token });
          return { values: { fullName: user.body.fullName }, html: (await f.browsers.admin.get(`/admin/users/${response.body.id}/edit`)).html };
        },
      });
    });

    const MODEL_FIELDS = ['title', 'summary', 'goals', 'participants', 'contact'] as const;
    const titled = new Map<string, number>();
    it(`POST /api/v1/models: ${MODEL_FIELDS.join(', ')}`, async () => {
      const unit = await createUnit({ parentId: f.committee.department.id, name: 'Phòng thử mô hình' });
      const accepted = await throughApi('model fields', SWEEP, {
        fields: MODEL_FIELDS,
        send: (values) => api('POST', '/models', { token: agencyToken(), body: modelBody({ unitId: unit.id, ...values }) }),
        snapshot: () => countRows('models', { unit_id: unit.id }),
        readBack: async ({ response }) => {
          const model = await api('GET', `/models/${response.body.id}`, { token: agencyToken() });
          return { values: model.body, html: (await f.browsers.agency.get(`/models/${response.body.id}`)).html };
        },
      });
      for (const item of accepted) if (item.fields.includes('title')) titled.set(stored(item.payload), item.response.body.id);
      expect(accepted.filter((item) => item.fields.length === MODEL_FIELDS.length).length).to.be.greaterThan(SWEEP.length / 3);
    });

    it('GET /api/v1/models?q= finds each model by its whole title, or refuses the query with 422 on q', async () => {
      const failures = new Failures('model search q');
      const before = await countRows('models');
      await inPool(SWEEP, 4, async (payload) => {
        const params = { q: payload, unitId: String(f.committee.department.id), limit: '200' };
        const response = await api('GET', `/models?${new URLSearchParams(params)}`, { token: agencyToken() });
        if (response.status === 200) {
          const id = titled.get(stored(payload));
          // The search is by words (punctuation is a space): "--1" finds every model with a word
          // starting with 1, so the model may be on a later page.
          let page = response;
          while (id !== undefined && !page.body.items.some((item: { id: number }) => item.id === id) && page.body.nextCursor) {
            page = await api('GET', `/models?${new URLSearchParams({ ...params, cursor: page.body.nextCursor })}`, { token: agencyToken() });
          }
          if (id !== undefined && !page.body.items.some((item: { id: number }) => item.id === id)) failures.add(payload, 'the model with this exact title is not found');
        } else if (response.status === 422) {
          if (!errorListsField(response.body, 'q')) failures.add(payload, `422 without naming q: ${JSON.stringify(response.body)}`);
        } else failures.add(payload, `answered ${response.status}`);
      });
      expect(await countRows('models')).to.equal(before);
      failures.check();
    });

    it('POST /api/v1/models/:id/reports: note', async () => {
      // One model takes 60 reports (implementing -> implementing), so its page stays small.
      let modelId = 0;
      const batches = new Map<number, Promise<{ json: ApiResponse; html: string }>>();
      await throughApi('progress report note', SWEEP, {
        fields: ['note'],
        prepare: async (index) => { if (index % 60 === 0) modelId = await implementingModel(); },
        send: (values) => api('POST', `/models/${modelId}/reports`, { token: agencyToken(), body: { status: 'implementing', reportedOn: today, ...values } }),
        snapshot: () => countRows('model_reports', { model_id: modelId }),
        readBack: async ({ response }) => {
          const id = response.body.modelId ?? (await db().selectFrom('model_reports').select('model_id').where('id', '=', response.body.id).executeTakeFirstOrThrow()).model_id;
          if (!batches.has(id)) batches.set(id, (async () => ({ json: await api('GET', `/models/${id}`, { token: agencyToken() }), html: (await f.browsers.agency.get(`/models/${id}`)).html }))());
          const { json, html } = await batches.get(id)!;
          return { values: { note: json.body.reports.find((r: { id: number }) => r.id === response.body.id)?.note }, html };
        },
      });
    });
  });
});
