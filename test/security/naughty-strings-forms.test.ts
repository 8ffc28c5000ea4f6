// The Big List of Naughty Strings (test/support/naughty.ts says how), this file: the HTML forms, with a sample of the strings.
import { formatDate } from '../../server/web/i18n/index.ts';
import { attachRequiredFiles, inDays } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { agencyToken, f, idFrom, implementingModel, modelFormBody, naughtyDescribe, nextApproved, SAMPLE, submittedNomination, throughForm, today } from '../support/naughty.ts';
import { countRows, stored } from '../support/security.ts';

naughtyDescribe('the HTML forms', () => {
  describe(`HTML forms (a sample of ${SAMPLE.length} strings per field)`, () => {
    it('POST /admin/units: name', async () => {
      let code = '';
      await throughForm('unit form name', SAMPLE, {
        field: 'name', keepsValue: true,
        post: (payload) => {
          code = `F${uniqueSuffix()}`;
          return f.browsers.admin.post('/admin/units', { code, name: payload, kind: 'agency', parentId: String(f.adminUnit.id) });
        },
        snapshot: () => countRows('units', { parent_id: f.adminUnit.id }),
        readBack: async () => {
          const unit = await db().selectFrom('units').select(['id', 'name']).where('code', '=', code).executeTakeFirstOrThrow();
          return { value: unit.name, html: (await f.browsers.admin.get(`/admin/units/${unit.id}/edit`)).html };
        },
      });
    });

    it('POST /admin/users: fullName', async () => {
      let username = '';
      await throughForm('user form fullName', SAMPLE, {
        field: 'fullName', keepsValue: true,
        post: (payload) => {
          username = `h${uniqueSuffix().toLowerCase()}`;
          return f.browsers.admin.post('/admin/users', { username, password: TEST_PASSWORD, fullName: payload, role: 'agency', unitId: String(f.adminUnit.id), language: 'vi' });
        },
        snapshot: () => countRows('users', { unit_id: f.adminUnit.id }),
        readBack: async () => {
          const user = await db().selectFrom('users').select(['id', 'full_name']).where('username', '=', username).executeTakeFirstOrThrow();
          return { value: user.full_name, html: (await f.browsers.admin.get(`/admin/users/${user.id}/edit`)).html };
        },
      });
    });

    for (const field of ['title', 'summary', 'goals', 'participants', 'contact'] as const) {
      it(`POST /models: ${field}`, async () => {
        await throughForm(`model form ${field}`, SAMPLE, {
          field, keepsValue: true,
          post: (payload) => f.browsers.agency.post('/models', modelFormBody({ [field]: payload })),
          snapshot: () => countRows('models', { unit_id: f.committee.department.id }),
          readBack: async (response) => {
            const id = idFrom(response.location);
            const row = await db().selectFrom('models').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            return { value: row[field], html: (await f.browsers.agency.get(`/models/${id}`)).html };
          },
        });
      });
    }

    it('POST /models/:id/reports: note', async () => {
      let modelId = 0;
      await throughForm('report form note', SAMPLE, {
        field: 'note', keepsValue: true,
        prepare: async (index) => {
          if (index % 30 === 0) modelId = await implementingModel();
        },
        post: async (payload) => {
          return f.browsers.agency.post(`/models/${modelId}/reports`, { status: 'implementing', reportedOn: formatDate(today), note: payload });
        },
        snapshot: () => countRows('model_reports', { model_id: modelId }),
        readBack: async () => {
          const row = await db().selectFrom('model_reports').select('note').where('model_id', '=', modelId).orderBy('id', 'desc').executeTakeFirstOrThrow();
          return { value: row.note, html: (await f.browsers.agency.get(`/models/${modelId}`)).html };
        },
      });
    });

    it('POST /awards: round title', async () => {
      await throughForm('round form title', SAMPLE, {
        field: 'title', keepsValue: true,
        post: (payload) => f.browsers.secretary.post('/awards', {
          title: payload, year: '2025', awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: String(f.committee.province.id), closesOn: formatDate(inDays(10)), quorum: '2/3', approval: 'more_than_half', decisionSuffix: 'QĐ-UBND',
        }),
        snapshot: () => countRows('award_rounds', { issuing_unit_id: f.committee.province.id }),
        readBack: async (response) => {
          const id = idFrom(response.location);
          const row = await db().selectFrom('award_rounds').select('title').where('id', '=', id).executeTakeFirstOrThrow();
          return { value: row.title, html: (await f.browsers.secretary.get(`/awards/${id}`)).html };
        },
      });
    });

    for (const field of ['nomineeName', 'position', 'achievement'] as const) {
      it(`POST /awards/:id/nominations: ${field}`, async () => {
        const column = { nomineeName: 'nominee_name', position: 'position', achievement: 'achievement' } as const;
        await throughForm(`nomination form ${field}`, SAMPLE, {
          field, keepsValue: true,
          post: (payload, index) => f.browsers.agency.post(`/awards/${f.roundId}/nominations`, {
            roundId: String(f.roundId), nomineeKind: 'individual', unitId: String(f.committee.department.id), nomineeName: `Người đề nghị qua biểu mẫu ${field} ${index}`, position: 'Chuyên viên',
            gender: 'female', birthYear: '1985', achievement: 'Thành tích xuất sắc trong công tác dân vận năm 2025', [field]: payload,
          }),
          snapshot: () => countRows('nominations', { round_id: f.roundId }),
          readBack: async (response) => {
            const id = idFrom(response.location);
            const row = await db().selectFrom('nominations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            return { value: row[column[field]], html: (await f.browsers.agency.get(`/nominations/${id}`)).html };
          },
        });
      });
    }

    it('POST /nominations/:id/votes: comment', async () => {
      const nominationId = await submittedNomination('Người được bỏ phiếu qua biểu mẫu');
      await f.browsers.member.get(`/nominations/${nominationId}`);
      await throughForm('vote form comment', SAMPLE, {
        field: 'comment', keepsValue: true,
        post: (payload) => f.browsers.member.post(`/nominations/${nominationId}/votes`, { vote: 'approve', comment: payload }),
        snapshot: async () => ({
          vote: await db().selectFrom('votes').select(['comment', 'voted_at']).where('nomination_id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        readBack: async () => {
          const row = await db().selectFrom('votes').select('comment').where('nomination_id', '=', nominationId).executeTakeFirstOrThrow();
          return { value: row.comment, html: (await f.browsers.secretary.get(`/nominations/${nominationId}`)).html };
        },
      });
    });

    it('POST /nominations/:id/return: reason', async () => {
      const nominationId = await submittedNomination('Người bị trả lại qua biểu mẫu');
      await throughForm('return form reason', SAMPLE, {
        field: 'reason', keepsValue: true,
        post: (payload) => f.browsers.secretary.post(`/nominations/${nominationId}/return`, { reason: payload }),
        snapshot: async () => ({
          row: await db().selectFrom('nominations').select(['status', 'return_reason', 'updated_at']).where('id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        readBack: async () => {
          const row = await db().selectFrom('nominations').select('return_reason').where('id', '=', nominationId).executeTakeFirstOrThrow();
          return { value: row.return_reason, html: (await f.browsers.agency.get(`/nominations/${nominationId}`)).html };
        },
        after: async () => {
          await attachRequiredFiles(nominationId);
          const again = await api('POST', `/nominations/${nominationId}/submit`, { token: agencyToken() });
          if (again.status !== 200) throw new Error(`resubmit failed: ${JSON.stringify(again.body)}`);
        },
      });
    });

    for (const field of ['signerName', 'signerTitle', 'number'] as const) {
      it(`POST /awards/:id/decisions: ${field}`, async () => {
        await f.browsers.secretary.get(`/awards/${f.decidedRoundId}`);
        const column = { signerName: 'signer_name', signerTitle: 'signer_title', number: 'number_text' } as const;
        await throughForm(`decision form ${field}`, SAMPLE, {
          field, keepsValue: true,
          post: async (payload) => {
            const response = await f.browsers.secretary.post(`/awards/${f.decidedRoundId}/decisions`, {
              roundId: String(f.decidedRoundId), signedOn: formatDate(today), signerName: 'Nguyễn Văn Bình', signerTitle: 'Chủ tịch', nominationIds: String(nextApproved()), confirmed: 'on', [field]: payload,
            });
            if (response.status === 303) f.approvedPool.shift();
            return response;
          },
          snapshot: () => countRows('decisions', { round_id: f.decidedRoundId }),
          readBack: async (response, payload) => {
            const id = idFrom(response.location);
            const row = await db().selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            const sent = stored(payload);
            const expected = field === 'number' && !sent.includes('/') ? `${sent}/QĐ-UBND` : sent;
            // An empty number field means "the next number": nothing typed to compare.
            return { value: field === 'number' && payload === '' ? undefined : row[column[field]], expected, html: (await f.browsers.secretary.get(`/decisions/${id}`)).html };
          },
        });
      });
    }

    it('POST /certificates/:id/reissue: reason', async () => {
      let certificateId = 0;
      await throughForm('reissue form reason', SAMPLE, {
        field: 'reason', inputId: 'reissue-reason', keepsValue: false,
        prepare: async (index) => {
          if (index % 30 === 0) certificateId = f.certificates.pop()!;
        },
        post: async (payload) => {
          return f.browsers.secretary.post(`/certificates/${certificateId}/reissue`, { reason: payload });
        },
        snapshot: () => countRows('certificate_reissues', { certificate_id: certificateId }),
        readBack: async () => {
          const row = await db().selectFrom('certificate_reissues').select('reason').where('certificate_id', '=', certificateId).orderBy('copy_number', 'desc').executeTakeFirstOrThrow();
          return { value: row.reason, html: (await f.browsers.secretary.get(`/certificates/${certificateId}`)).html };
        },
      });
    });

    it('POST /certificates/:id/revoke: reason', async () => {
      let certificateId = 0;
      await throughForm('revoke form reason', SAMPLE, {
        field: 'reason', inputId: 'revoke-reason', keepsValue: false,
        post: async (payload) => {
          certificateId = f.certificates[f.certificates.length - 1]!;
          return f.browsers.secretary.post(`/certificates/${certificateId}/revoke`, { reason: payload, confirmed: 'on' });
        },
        snapshot: () => countRows('certificates', { status: 'revoked', issuing_unit_id: f.committee.province.id }),
        readBack: async () => {
          f.certificates.pop();
          const row = await db().selectFrom('certificates').select('revoke_reason').where('id', '=', certificateId).executeTakeFirstOrThrow();
          // The page shows the status, not the reason: it must only not reflect it raw.
          return { value: row.revoke_reason, html: (await f.browsers.secretary.get(`/certificates/${certificateId}`)).html, showsText: false };
        },
      });
    });
  });
});
