// The Big List of Naughty Strings (test/support/naughty.ts says how), this file: every text field of the awards' JSON API (rounds, nominations, votes, returns, decisions, reissue and revoke) and the verify code.
import { nomineeKey } from '../../server/awards/names.ts';
import { inDays, individual, openRound } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { api, Browser, type ApiResponse } from '../support/http.ts';
import { agencyToken, f, naughtyDescribe, nextApproved, secretaryToken, submittedNomination, SWEEP, throughApi, today } from '../support/naughty.ts';
import { countRows, Failures, htmlReflectsRaw, inPool, stored } from '../support/security.ts';

naughtyDescribe("the awards' JSON API", () => {
  describe(`JSON API (${SWEEP.length} strings per field)`, () => {
    it('POST /api/v1/award-rounds: title', async () => {
      await throughApi('round title', SWEEP, {
        fields: ['title'],
        send: (values) => api('POST', '/award-rounds', { token: secretaryToken(), body: { year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: f.committee.province.id, closesOn: inDays(10), ...values } }),
        snapshot: () => countRows('award_rounds', { issuing_unit_id: f.committee.province.id }),
        readBack: async ({ response }) => {
          const round = await api('GET', `/award-rounds/${response.body.id}`, { token: secretaryToken() });
          return { values: { title: round.body.title }, html: (await f.browsers.secretary.get(`/awards/${response.body.id}`)).html };
        },
      });
    });

    it('POST /api/v1/nominations: nomineeName, position, achievement', async () => {
      const round = await openRound(f.committee, { title: 'Đợt thử đề nghị với chuỗi độc' });
      await throughApi('nomination fields', SWEEP, {
        fields: ['nomineeName', 'position', 'achievement'],
        send: (values, index) => api('POST', '/nominations', { token: agencyToken(), body: individual(round.id, f.committee.department.id, { nomineeName: `Người đề nghị số ${index}`, ...values }) }),
        snapshot: () => countRows('nominations', { round_id: round.id }),
        readBack: async ({ response }) => {
          const nomination = await api('GET', `/nominations/${response.body.id}`, { token: agencyToken() });
          return { values: nomination.body, html: (await f.browsers.agency.get(`/nominations/${response.body.id}`)).html };
        },
      });
    });

    it('POST /api/v1/nominations/:id/votes (member): comment', async () => {
      const nominationId = await submittedNomination('Người được bỏ phiếu');
      const member = f.committee.members[0]!;
      await throughApi('vote comment', SWEEP, {
        fields: ['comment'],
        send: (values) => api('POST', `/nominations/${nominationId}/votes`, { token: member.token, body: { vote: 'approve', ...values } }),
        snapshot: async () => ({
          vote: await db().selectFrom('votes').select(['comment', 'voted_at']).where('nomination_id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        // Each vote replaces the last: read it back (the answer is the row RETURNING) and the page before the next string.
        after: async (response) => {
          pendingVotePages.set(response, (await f.browsers.secretary.get(`/nominations/${nominationId}`)).html);
        },
        readBack: async ({ response }) => ({ values: { comment: response.body.comment }, html: pendingVotePages.get(response) }),
      });
    });
    const pendingVotePages = new Map<ApiResponse, string>();

    it('POST /api/v1/nominations/:id/return (secretary): reason', async () => {
      // One submitted nomination per string (written straight into the table, like the factories do).
      const names = SWEEP.map((_, i) => `Người được trả lại số ${i}`);
      const rows = await db().insertInto('nominations').values(names.map((name) => ({
        round_id: f.roundId, unit_id: f.committee.department.id, nominee_kind: 'collective', nominee_name: name, nominee_key: nomineeKey(name),
        achievement: 'Thành tích xuất sắc trong phong trào thi đua', status: 'submitted', submitted_at: new Date(), created_by: f.committee.agency.id,
      }))).returning('id').execute();
      let nominationId = 0;
      await throughApi('return reason', SWEEP, {
        fields: ['reason'],
        prepare: async (index) => { nominationId = rows[index]!.id; },
        send: (values) => api('POST', `/nominations/${nominationId}/return`, { token: secretaryToken(), body: values }),
        snapshot: async () => ({
          row: await db().selectFrom('nominations').select(['status', 'return_reason', 'updated_at']).where('id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        readBack: async ({ response }) => {
          const nomination = await api('GET', `/nominations/${response.body.id}`, { token: agencyToken() });
          return { values: { reason: nomination.body.returnReason }, html: (await f.browsers.agency.get(`/nominations/${response.body.id}`)).html };
        },
      });
    });

    it('POST /api/v1/decisions (secretary): signerName, signerTitle, number', async () => {
      await throughApi('decision fields', SWEEP, {
        fields: ['signerName', 'signerTitle', 'number'],
        send: async (values) => {
          const response = await api('POST', '/decisions', {
            token: secretaryToken(),
            body: { roundId: f.decidedRoundId, signedOn: today, signerName: 'Nguyễn Văn Bình', signerTitle: 'KT. Chủ tịch / Phó Chủ tịch', nominationIds: [nextApproved()], ...values },
          });
          if (response.status === 201) f.approvedPool.shift();
          return response;
        },
        snapshot: () => countRows('decisions', { round_id: f.decidedRoundId }),
        readBack: async ({ response, payload }) => {
          const decision = await api('GET', `/decisions/${response.body.id}`, { token: secretaryToken() });
          const html = (await f.browsers.secretary.get(`/decisions/${response.body.id}`)).html;
          // A number without a symbol takes the round's ("QĐ-UBND").
          const sent = stored(payload);
          return { values: decision.body, html, expected: { number: sent.includes('/') ? sent : `${sent}/QĐ-UBND` } };
        },
      });
    });

    it('POST /api/v1/certificates/:id/reissue: reason', async () => {
      let certificateId = 0;
      const pages = new Map<number, Promise<string>>();
      await throughApi('reissue reason', SWEEP, {
        fields: ['reason'],
        prepare: async (index) => { if (index % 60 === 0) certificateId = f.certificates.pop()!; },
        send: (values) => api('POST', `/certificates/${certificateId}/reissue`, { token: secretaryToken(), body: values }),
        snapshot: () => countRows('certificate_reissues', { certificate_id: certificateId }),
        readBack: async ({ response }) => {
          // The answer is built from the insert's RETURNING; the page lists every reissue of the certificate.
          const id = response.body.id as number;
          if (!pages.has(id)) pages.set(id, f.browsers.secretary.get(`/certificates/${id}`).then((page) => page.html));
          return { values: { reason: response.body.reason }, html: await pages.get(id)! };
        },
      });
    });

    it('POST /api/v1/certificates/:id/revoke: reason', async () => {
      let certificateId = 0;
      const failures = new Failures('revoke reason (page)');
      await throughApi('revoke reason', SWEEP, {
        fields: ['reason'],
        prepare: async () => { certificateId = f.certificates[f.certificates.length - 1]!; },
        send: (values) => api('POST', `/certificates/${certificateId}/revoke`, { token: secretaryToken(), body: values }),
        snapshot: () => countRows('certificates', { status: 'revoked', issuing_unit_id: f.committee.province.id }),
        after: async () => { f.certificates.pop(); },
        readBack: async ({ response, payload }) => {
          const row = await db().selectFrom('certificates').select(['revoke_reason', 'status']).where('id', '=', response.body.id).executeTakeFirstOrThrow();
          // The certificate page shows the status, not the reason: it must only not reflect it raw.
          const raw = htmlReflectsRaw((await f.browsers.secretary.get(`/certificates/${response.body.id}`)).html, payload);
          if (raw) failures.add(payload, raw);
          return { values: { reason: row.status === 'revoked' && row.revoke_reason === response.body.reason ? row.revoke_reason : `JSON ${JSON.stringify(response.body.reason)} / row ${JSON.stringify(row)}` } };
        },
      });
      failures.check();
    });

    it('GET /api/v1/verify/:code and /verify/:code: never 5xx, never reflected', async () => {
      const failures = new Failures('verify code');
      await inPool(SWEEP, 4, async (payload) => {
        const path = `/verify/${encodeURIComponent(payload)}`;
        const json = await api('GET', path);
        if (![400, 404, 422].includes(json.status)) failures.add(payload, `API answered ${json.status}`);
        const page = await new Browser().get(path); // a fresh address each time: the verify limiter allows 30 a minute
        if (![400, 404].includes(page.status)) failures.add(payload, `page answered ${page.status}`);
        const raw = htmlReflectsRaw(page.html, payload);
        if (raw) failures.add(payload, raw);
      });
      failures.check();
    });
  });
});
