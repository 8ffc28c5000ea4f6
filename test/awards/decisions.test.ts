// Decisions through the API: the contract's shapes, who may issue them, validation, illegal
// decisions, hand-given numbers, the annex order, and numbering without gaps or duplicates when
// many clients issue at once and some of their transactions roll back after taking numbers.
import { expect } from 'chai';
import { sql } from 'kysely';
import { translate, type Language, type MessageKey } from '../../server/web/i18n/index.ts';
import { db } from '../support/context.ts';
import { auditRows, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { approvedInClosedRound, closeRound, createCommittee, decisionBody, individual, openRound, rowCounts, submitted, voteAll } from '../support/awards.ts';

const fields = (response: { body: { error: { details: { field: string }[] } } }) => response.body.error.details.map((d) => d.field).sort();
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

function fieldMessage(language: Language, key: MessageKey, field: string, params: Record<string, unknown> = {}) {
  return translate(language, key, { label: translate(language, `field.award.${field}` as MessageKey), ...params });
}

interface CertificateJson {
  id: number;
  nominationId: number;
  recipientName: string;
  registerNumber: number;
  verificationCode: string;
}

describe('awards API: decisions', () => {
  describe('the contract', () => {
    it('answers 201 {id, number, certificates[{id, nominationId, recipientName, registerNumber, verificationCode}]}, stored and audited', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [
        { name: 'Lê Thị Hồng', kind: 'individual' },
        { name: 'Phòng Giáo dục Tiểu học', kind: 'collective' },
      ]);
      const nominationIds = Object.values(ids);
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, nominationIds) });
      expect(response.status).to.equal(201);
      expect(response.body).to.include.keys(['id', 'number', 'certificates']);
      expect(response.body.id).to.be.a('number');
      expect(response.body.number).to.equal('1/QĐ-UBND');
      expect(response.body.certificates).to.have.length(2);
      for (const certificate of response.body.certificates as CertificateJson[]) {
        expect(certificate).to.have.all.keys(['id', 'nominationId', 'recipientName', 'registerNumber', 'verificationCode']);
        expect(Number.isInteger(certificate.registerNumber)).to.equal(true);
        expect(certificate.verificationCode).to.be.a('string').and.match(/^[A-Za-z0-9_-]{22}$/);
        expect(Buffer.from(certificate.verificationCode, 'base64url')).to.have.length(16);
        expect(certificate.verificationCode).to.not.include(String(certificate.registerNumber).padStart(3, '0'));
      }
      expect(new Set(response.body.certificates.map((c: CertificateJson) => c.verificationCode)).size).to.equal(2);
      expect(response.body.certificates.map((c: CertificateJson) => [c.recipientName, c.registerNumber, c.nominationId])).to.deep.equal([
        ['Phòng Giáo dục Tiểu học', 1, ids['Phòng Giáo dục Tiểu học']],
        ['Lê Thị Hồng', 2, ids['Lê Thị Hồng']],
      ]);

      const decision = await db().selectFrom('decisions').selectAll().where('id', '=', response.body.id).executeTakeFirstOrThrow();
      expect(decision).to.include({ round_id: round.id, issuing_unit_id: committee.province.id, year: 2025, number: 1, number_text: '1/QĐ-UBND', signer_name: 'Hồ Văn Mừng', created_by: committee.secretary.id });
      const certificates = await db().selectFrom('certificates').selectAll().where('decision_id', '=', response.body.id).orderBy('register_number').execute();
      expect(certificates.map((c) => [c.nomination_id, c.register_number, c.status, c.year])).to.deep.equal([[ids['Phòng Giáo dục Tiểu học'], 1, 'valid', 2025], [ids['Lê Thị Hồng'], 2, 'valid', 2025]]);
      const nominations = await db().selectFrom('nominations').select(['id', 'decision_id']).where('id', 'in', nominationIds).execute();
      expect(nominations.every((n) => n.decision_id === response.body.id)).to.equal(true);
      const audit = await auditRows('decision', response.body.id);
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ action: 'decision.issue', actor_user_id: committee.secretary.id });

      const shown = await api('GET', `/decisions/${response.body.id}`, { token: committee.secretary.token });
      expect(shown.status).to.equal(200);
      expect(shown.body).to.include({ id: response.body.id, number: '1/QĐ-UBND', roundId: round.id, issuingUnitId: committee.province.id, year: 2025, signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng' });
      expect(shown.body.certificates.map((c: CertificateJson) => [c.id, c.registerNumber, c.verificationCode])).to.deep.equal(response.body.certificates.map((c: CertificateJson) => [c.id, c.registerNumber, c.verificationCode]));
      const round_ = await api('GET', `/award-rounds/${round.id}`, { token: committee.agency.token });
      expect(round_.body.decisions).to.deep.equal([{ id: response.body.id, number: '1/QĐ-UBND', signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng', certificateCount: 2 }]);
    });

    it('hides a decision from a secretary of an unrelated province (404), and answers 401 without a token', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Ngô Văn Kín', kind: 'individual' }]);
      const issued = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, Object.values(ids)) });
      const stranger = await createCommittee();
      expect((await api('GET', `/decisions/${issued.body.id}`, { token: stranger.secretary.token })).status).to.equal(404);
      expect((await api('GET', `/decisions/${issued.body.id}`)).status).to.equal(401);
      const before = await rowCounts();
      const foreign = await api('POST', '/decisions', { token: stranger.secretary.token, body: decisionBody(round.id, Object.values(ids)) });
      expect(foreign.status).to.equal(422);
      expect(fields(foreign)).to.deep.equal(['roundId']);
      expect(await rowCounts()).to.deep.equal(before);
    });
  });

  describe('who may issue a decision', () => {
    it('lets an administrator issue one (201), audited with the administrator', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Đinh Văn Quản', kind: 'individual' }]);
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('POST', '/decisions', { token: admin.token, body: decisionBody(round.id, Object.values(ids)) });
      expect(response.status).to.equal(201);
      expect((await auditRows('decision', response.body.id))[0]).to.include({ action: 'decision.issue', actor_user_id: admin.id });
    });

    it('refuses agency staff, members and printers (403) and anonymous callers (401), writing nothing', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Đinh Văn Chờ', kind: 'individual' }]);
      const printer = await createUserWithToken({ role: 'printer', unitId: committee.province.id });
      const before = await rowCounts();
      for (const token of [committee.agency.token, committee.members[0]!.token, printer.token]) {
        const response = await api('POST', '/decisions', { token, body: decisionBody(round.id, Object.values(ids)) });
        expect(response.status).to.equal(403);
        expect(response.body.error.code).to.equal('forbidden');
      }
      expect((await api('POST', '/decisions', { body: decisionBody(round.id, Object.values(ids)) })).status).to.equal(401);
      expect(await rowCounts()).to.deep.equal(before);
    });
  });

  describe('validation of a decision body', () => {
    const bad = { roundId: 'x', signedOn: '2025-13-40', signerName: 'A', signerTitle: '', nominationIds: [], number: '45/QĐ UBND', registerNumber: 5, certificates: [] };

    it('answers 422 naming every bad field (unknown registerNumber too), in Vietnamese, and writes nothing', async () => {
      const committee = await createCommittee();
      const before = await rowCounts();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: bad });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('validation_failed');
      expect(fields(response)).to.deep.equal(Object.keys(bad).sort());
      const details = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(details.signerTitle).to.equal(fieldMessage('vi', 'validation.required', 'signerTitle'));
      expect(details.signedOn).to.equal(fieldMessage('vi', 'validation.date', 'signedOn'));
      expect(details.signerName).to.equal(fieldMessage('vi', 'validation.tooShort', 'signerName', { limit: 2 }));
      expect(details.registerNumber).to.equal(translate('vi', 'validation.unknownField', { label: 'registerNumber' }));
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('answers the same 422 in English when asked', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: bad, language: 'en' });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(Object.keys(bad).sort());
      const details = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(details.signerTitle).to.equal(fieldMessage('en', 'validation.required', 'signerTitle'));
      expect(details.signerTitle).to.match(/is required/);
    });

    it('requires roundId, signedOn, signerName, signerTitle and nominationIds', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: {} });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(['nominationIds', 'roundId', 'signedOn', 'signerName', 'signerTitle']);
    });

    it('refuses nominations of another round (422 nominationIds) and writes nothing', async () => {
      const committee = await createCommittee();
      const first = await approvedInClosedRound(committee, [{ name: 'Vũ Văn Một', kind: 'individual' }]);
      const second = await approvedInClosedRound(committee, [{ name: 'Vũ Văn Hai', kind: 'individual' }]);
      const before = await rowCounts();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(first.round.id, [first.ids['Vũ Văn Một']!, second.ids['Vũ Văn Hai']!]) });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(['nominationIds']);
      expect(await rowCounts()).to.deep.equal(before);
    });
  });

  describe('illegal decisions (409, nothing written)', () => {
    it('refuses a decision on a rejected nomination', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const rejected = await submitted(committee, individual(round.id, committee.department.id));
      await voteAll(committee, rejected, ['reject', 'reject']);
      await closeRound(committee, round.id);
      const before = await rowCounts();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [rejected]) });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('conflict');
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('refuses a second decision on an already decided nomination, even mixed with a free one', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Mai Văn Đã', kind: 'individual' }, { name: 'Mai Văn Chưa', kind: 'individual' }]);
      expect((await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Mai Văn Đã']!]) })).status).to.equal(201);
      const before = await rowCounts();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Mai Văn Chưa']!, ids['Mai Văn Đã']!]) });
      expect(response.status).to.equal(409);
      expect(await rowCounts()).to.deep.equal(before);
      expect((await db().selectFrom('nominations').select('decision_id').where('id', '=', ids['Mai Văn Chưa']!).executeTakeFirstOrThrow()).decision_id).to.equal(null);
    });

    it('refuses a decision while the round is still open', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      await voteAll(committee, id, ['approve', 'approve', 'approve']);
      const before = await rowCounts();
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [id]) });
      expect(response.status).to.equal(409);
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('gives one 201 and one 409 to two decisions over the same nomination sent at once', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Tạ Văn Đua', kind: 'individual' }]);
      const responses = await Promise.all([1, 2].map(() => api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, Object.values(ids)) })));
      expect(responses.map((r) => r.status).sort()).to.deep.equal([201, 409]);
      expect(await db().selectFrom('certificates').select('register_number').where('issuing_unit_id', '=', committee.province.id).execute()).to.deep.equal([{ register_number: 1 }]);
    });
  });

  describe('numbers', () => {
    it('uses a hand-given decision number (45 or "45/QĐ-UBND"), continues at 46, and refuses a taken number with 409', async () => {
      const committee = await createCommittee();
      const names = ['Cao Văn A', 'Cao Văn B', 'Cao Văn C', 'Cao Văn D', 'Cao Văn E'];
      const { round, ids } = await approvedInClosedRound(committee, names.map((name) => ({ name, kind: 'individual' as const })));
      const issue = (name: string, number?: number | string) => api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids[name]!], number === undefined ? {} : { number }) });

      const hand = await issue('Cao Văn A', 45);
      expect(hand.status).to.equal(201);
      expect(hand.body.number).to.equal('45/QĐ-UBND');
      const next = await issue('Cao Văn B');
      expect(next.body.number).to.equal('46/QĐ-UBND');

      const before = await rowCounts();
      const taken = await issue('Cao Văn C', '45/QĐ-UBND');
      expect(taken.status).to.equal(409);
      expect(taken.body.error.code).to.equal('conflict');
      expect((await issue('Cao Văn C', 46)).status).to.equal(409);
      expect(await rowCounts()).to.deep.equal(before);

      const lower = await issue('Cao Văn C', '12/QĐ-UBND');
      expect(lower.status).to.equal(201);
      expect(lower.body.number).to.equal('12/QĐ-UBND');
      expect((await issue('Cao Văn D')).body.number, 'a lower hand number does not pull the counter back').to.equal('47/QĐ-UBND');
      // The text form, in a year whose counter has not started: used as given, the next one follows it.
      const text = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Cao Văn E']!], { number: '45/QĐ-UBND', signedOn: '2026-01-10' }) });
      expect(text.status).to.equal(201);
      expect(text.body.number).to.equal('45/QĐ-UBND');
      const stored = await db().selectFrom('decisions').select(['number', 'number_text', 'year']).where('round_id', '=', round.id).orderBy('id').execute();
      expect(stored.map((d) => [d.number, d.year])).to.deep.equal([[45, 2025], [46, 2025], [12, 2025], [47, 2025], [45, 2026]]);
      const counter2026 = await db().selectFrom('decision_counters').select('last_number').where('issuing_unit_id', '=', committee.province.id).where('year', '=', 2026).executeTakeFirstOrThrow();
      expect(counter2026.last_number, 'the next automatic number in 2026 is 46').to.equal(45);
      // Register numbers are a separate counter, with no gap.
      const registers = await db().selectFrom('certificates').select(['register_number', 'year']).where('issuing_unit_id', '=', committee.province.id).orderBy('year').orderBy('register_number').execute();
      expect(registers.map((r) => [r.year, r.register_number])).to.deep.equal([[2025, 1], [2025, 2], [2025, 3], [2025, 4], [2026, 1]]);
    });

    it('numbers per issuing unit and year: a decision signed next year starts again at 1', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Kha Văn Năm', kind: 'individual' }, { name: 'Kha Văn Mới', kind: 'individual' }]);
      const first = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Kha Văn Năm']!]) });
      const next = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Kha Văn Mới']!], { signedOn: '2026-01-05' }) });
      expect([first.body.number, first.body.certificates[0].registerNumber]).to.deep.equal(['1/QĐ-UBND', 1]);
      expect([next.body.number, next.body.certificates[0].registerNumber]).to.deep.equal(['1/QĐ-UBND', 1]);
      const other = await createCommittee();
      const elsewhere = await approvedInClosedRound(other, [{ name: 'Kha Văn Khác', kind: 'individual' }]);
      const third = await api('POST', '/decisions', { token: other.secretary.token, body: decisionBody(elsewhere.round.id, Object.values(elsewhere.ids)) });
      expect([third.body.number, third.body.certificates[0].registerNumber]).to.deep.equal(['1/QĐ-UBND', 1]);
    });

    it('numbers the annex: collectives first by name, then individuals by given name the Vietnamese way', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [
        { name: 'Trần Văn Bình', kind: 'individual' },
        { name: 'Phòng Y tế huyện', kind: 'collective' },
        { name: 'Đặng Văn Ánh', kind: 'individual' },
        { name: 'Ban Dân vận xã', kind: 'collective' },
        { name: 'Nguyễn Thị Anh', kind: 'individual' },
      ]);
      const response = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, Object.values(ids)) });
      expect(response.status).to.equal(201);
      const order = ['Ban Dân vận xã', 'Phòng Y tế huyện', 'Nguyễn Thị Anh', 'Đặng Văn Ánh', 'Trần Văn Bình'];
      expect(response.body.certificates.map((c: CertificateJson) => [c.recipientName, c.registerNumber])).to.deep.equal(order.map((name, i) => [name, i + 1]));
      const shown = await api('GET', `/decisions/${response.body.id}`, { token: committee.secretary.token });
      expect(shown.body.certificates.map((c: CertificateJson) => c.recipientName)).to.deep.equal(order);
      const stored = await db().selectFrom('certificates').select(['nomination_id', 'register_number']).where('decision_id', '=', response.body.id).orderBy('register_number').execute();
      expect(stored.map((c) => c.nomination_id)).to.deep.equal(order.map((name) => ids[name]));
    });

    describe('20 concurrent issuers, some rolling back after taking their numbers', () => {
      // A fault injected in the database: a certificate for a name containing ROLLBACK cannot be
      // inserted, so its decision fails after it has taken its decision and register numbers.
      const dropTrigger = () => sql`DROP TRIGGER IF EXISTS test_awards_force_rollback ON certificates`.execute(db());
      const errors: unknown[][] = [];
      const consoleError = console.error;
      before(async () => {
        await dropTrigger();
        await sql`CREATE OR REPLACE FUNCTION test_awards_force_rollback() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.recipient_name LIKE '%ROLLBACK%' THEN
              RAISE EXCEPTION 'forced rollback for %', NEW.recipient_name;
            END IF;
            RETURN NEW;
          END $$`.execute(db());
        await sql`CREATE TRIGGER test_awards_force_rollback BEFORE INSERT ON certificates FOR EACH ROW EXECUTE FUNCTION test_awards_force_rollback()`.execute(db());
        // The error handler logs each 500; keep the expected ones out of the test output.
        console.error = (...args: unknown[]) => void errors.push(args);
      });
      after(async () => {
        console.error = consoleError;
        await dropTrigger();
        await sql`DROP FUNCTION IF EXISTS test_awards_force_rollback()`.execute(db());
      });

      it('gives the successful decisions register numbers exactly 1..N and decision numbers exactly 1..M; failed ones leave nothing', async () => {
        const committee = await createCommittee();
        // Client i decides over its own nominations: two for every third client, one otherwise; five
        // clients have a nominee whose certificate insert fails after both counters were taken.
        const clients = range(20, 0).map((i) => {
          const names = [i % 2 === 0 ? `Tổ dân vận khu phố ${i}` : `Nguyễn Văn Khách${i}`];
          if (i % 3 === 0) names.push(`Trần Thị Phụ${i}`);
          const failing = i % 4 === 2;
          if (failing) names[names.length - 1] = `Tổ ROLLBACK ${i}`;
          return { i, failing, round: i % 2 === 0 ? 'A' : 'B', names };
        });
        const nominees = (round: string) => clients.filter((c) => c.round === round).flatMap((c) => c.names).map((name) => ({ name, kind: (name.startsWith('Tổ') ? 'collective' : 'individual') as 'collective' | 'individual' }));
        const roundA = await approvedInClosedRound(committee, nominees('A'), { title: 'Đợt A' });
        const roundB = await approvedInClosedRound(committee, nominees('B'), { title: 'Đợt B' });
        const idsOf = (client: (typeof clients)[number]) => client.names.map((name) => (client.round === 'A' ? roundA : roundB).ids[name]!);
        const auditBefore = Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'decision.issue').executeTakeFirstOrThrow()).n);

        const responses = await Promise.all(clients.map((client) => api('POST', '/decisions', {
          token: committee.secretary.token,
          body: decisionBody(client.round === 'A' ? roundA.round.id : roundB.round.id, idsOf(client)),
        })));

        const failing = clients.filter((c) => c.failing);
        const succeeding = clients.filter((c) => !c.failing);
        expect(failing).to.have.length(5);
        for (const client of failing) {
          const response = responses[client.i]!;
          expect(response.status, `client ${client.i}`).to.equal(500);
          expect(response.body.error.code).to.equal('internal');
        }
        for (const client of succeeding) expect(responses[client.i]!.status, `client ${client.i}: ${JSON.stringify(responses[client.i]!.body)}`).to.equal(201);

        const successful = succeeding.map((c) => responses[c.i]!.body as { id: number; number: string; certificates: CertificateJson[] });
        const registerNumbers = successful.flatMap((d) => d.certificates.map((c) => c.registerNumber)).sort((a, b) => a - b);
        const expectedCertificates = succeeding.reduce((sum, c) => sum + c.names.length, 0);
        expect(registerNumbers).to.deep.equal(range(expectedCertificates));
        const decisionNumbers = successful.map((d) => Number(d.number.split('/')[0])).sort((a, b) => a - b);
        expect(decisionNumbers).to.deep.equal(range(succeeding.length));
        for (const [index, client] of succeeding.entries()) {
          expect(successful[index]!.certificates.map((c) => c.nominationId).sort()).to.deep.equal(idsOf(client).sort());
        }

        // The database holds exactly what the answers said, and nothing of the failed requests.
        const decisions = await db().selectFrom('decisions').select(['id', 'number']).where('issuing_unit_id', '=', committee.province.id).execute();
        expect(decisions.map((d) => d.number).sort((a, b) => a - b)).to.deep.equal(range(succeeding.length));
        expect(decisions.map((d) => d.id).sort()).to.deep.equal(successful.map((d) => d.id).sort());
        const certificates = await db().selectFrom('certificates').select(['register_number', 'nomination_id']).where('issuing_unit_id', '=', committee.province.id).execute();
        expect(certificates.map((c) => c.register_number).sort((a, b) => a - b)).to.deep.equal(range(expectedCertificates));
        const failedIds = failing.flatMap(idsOf);
        expect(certificates.filter((c) => failedIds.includes(c.nomination_id))).to.deep.equal([]);
        const untouched = await db().selectFrom('nominations').select(['id', 'decision_id', 'status']).where('id', 'in', failedIds).execute();
        expect(untouched.every((n) => n.decision_id === null && n.status === 'approved')).to.equal(true);
        const auditAfter = Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'decision.issue').executeTakeFirstOrThrow()).n);
        expect(auditAfter - auditBefore).to.equal(succeeding.length);
        const counters = await Promise.all((['decision_counters', 'register_counters'] as const).map((table) => db().selectFrom(table).select('last_number').where('issuing_unit_id', '=', committee.province.id).where('year', '=', 2025).executeTakeFirstOrThrow()));
        expect(counters.map((c) => c.last_number)).to.deep.equal([succeeding.length, expectedCertificates]);

        // Once the fault is gone, the failed clients' retries continue the same sequences.
        expect(errors, 'one logged error per failed request').to.have.length(failing.length);
        for (const args of errors) expect(String((args[1] as Error).message)).to.match(/^forced rollback for Tổ ROLLBACK \d+$/);
        await dropTrigger();
        const retries = [];
        for (const client of failing) {
          const retry = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(client.round === 'A' ? roundA.round.id : roundB.round.id, idsOf(client)) });
          expect(retry.status).to.equal(201);
          retries.push(retry.body as { number: string; certificates: CertificateJson[] });
        }
        expect(retries.map((d) => d.number)).to.deep.equal(range(failing.length, succeeding.length + 1).map((n) => `${n}/QĐ-UBND`));
        const all = await db().selectFrom('certificates').select('register_number').where('issuing_unit_id', '=', committee.province.id).execute();
        expect(all.map((c) => c.register_number).sort((a, b) => a - b)).to.deep.equal(range(expectedCertificates + failing.reduce((sum, c) => sum + c.names.length, 0)));
      });
    });
  });
});
