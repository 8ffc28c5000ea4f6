// Notification e-mails through a real SMTP server (smtp-server on a loopback port): an app started
// with SMTP_URL sends a returned nomination's e-mail after the commit, to the account's address, in
// Vietnamese, with the absolute link, and marks the row sent. A server that refuses leaves the row to
// be retried (then failed after the last attempt), the app unharmed and nothing lost.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../../server/app.ts';
import { MailDispatcher } from '../../server/notifications/mailer.ts';
import { createCommittee, individual, openRound, submitted } from '../support/awards.ts';
import { until } from '../support/certificates.ts';
import { ctx, db, testConfig } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';

interface Received { from: string; to: string[]; raw: string }

/** A loopback SMTP server that keeps what it receives; `refuse` makes it answer 550 to every recipient. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.refuse) {
        const error = Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) in a header, decoded. */
function decodeHeader(value: string): string {
  return value.replace(/\r?\n[ \t]+/g, ' ').replace(/=\?utf-8\?([bq])\?([^?]*)\?=(\s+(?==\?))?/gi, (_whole, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'));
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]!;
  const match = new RegExp(`^${name}:(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return decodeHeader(match?.[1]?.trim() ?? '');
}

/** The plain-text part, its transfer encoding undone. */
function plainText(raw: string): string {
  const part = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)\r?\n--/i.exec(raw);
  const partHead = /Content-Type: text\/plain[^]*?\r?\n\r?\n/i.exec(raw)?.[0] ?? '';
  const body = part?.[1] ?? '';
  if (/quoted-printable/i.test(partHead)) return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  if (/base64/i.test(partHead)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

async function emailState(userId: number) {
  return db().selectFrom('notifications').select(['id', 'email_status', 'email_attempts', 'email_last_error', 'email_sent_at', 'email_next_attempt_at']).where('user_id', '=', userId).orderBy('id').execute();
}

describe('notifications: e-mail through SMTP', function () {
  this.timeout(90_000);
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let dispatcher: MailDispatcher | undefined;
  let appServer: Server | undefined;

  beforeEach(async () => {
    smtp = await startSmtp();
  });

  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    if (appServer) {
      appServer.closeAllConnections();
      await new Promise<void>((resolve) => appServer!.close(() => resolve()));
      appServer = undefined;
    }
    await smtp.close();
  });

  it('sends a returned nomination\'s e-mail once the return committed: To the account, a Vietnamese subject, the absolute link; the row marked sent', async () => {
    const committee = await createCommittee();
    const admin = await createUserWithToken({ role: 'admin' });
    const address = `can-bo.${committee.agency.id}@so-giao-duc.example.vn`;
    const set = await api('PATCH', `/users/${committee.agency.id}`, { token: admin.token, body: { email: address } });
    expect(set.status).to.equal(200);
    expect(set.body.email).to.equal(address);

    // An app process of its own, started with SMTP_URL, on the same database; its timer is too slow
    // to matter here, so the e-mail comes from the wake-up after the request's commit.
    const config = testConfig({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://dvk.example.gov.vn', MAIL_FROM: '"Sổ Dân vận khéo" <thong-bao@dvk.example.gov.vn>' });
    expect(config.mail).to.deep.equal({ smtpUrl: smtp.url, from: '"Sổ Dân vận khéo" <thong-bao@dvk.example.gov.vn>' });
    dispatcher = new MailDispatcher({ db: db(), smtpUrl: config.mail.smtpUrl, from: config.mail.from, publicUrl: config.publicUrl, pollMs: 600_000 });
    dispatcher.start();
    appServer = createServer(createApp({ config, db: db(), renderer: ctx().renderer, queue: ctx().queue, mail: dispatcher }));
    await new Promise<void>((resolve) => appServer!.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;

    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Thị Thư' }));
    const returned = await fetch(`${base}/api/v1/nominations/${id}/return`, {
      method: 'POST', headers: { authorization: `Bearer ${committee.secretary.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Thiếu biên bản họp xét' }),
    });
    expect(returned.status).to.equal(200);

    const message = await until(async () => smtp.received.find((m) => m.to.includes(address)), 30_000, 'the e-mail');
    expect(message.from).to.equal('thong-bao@dvk.example.gov.vn');
    expect(header(message.raw, 'To')).to.include(address);
    expect(header(message.raw, 'Subject')).to.equal('[Dân vận khéo] Hồ sơ bị trả lại: Nguyễn Thị Thư');
    expect(header(message.raw, 'From')).to.include('Sổ Dân vận khéo');
    const text = plainText(message.raw);
    expect(text).to.include('Hồ sơ "Nguyễn Thị Thư" (đợt "Tổng kết công tác dân vận chính quyền năm 2025") bị trả lại để bổ sung. Lý do: Thiếu biên bản họp xét');
    expect(text).to.include(`https://dvk.example.gov.vn/nominations/${id}`);
    expect(message.raw).to.match(/Content-Type: text\/html/i);

    const [row] = await until(async () => {
      const rows = await emailState(committee.agency.id);
      return rows[0]?.email_status === 'sent' ? rows : undefined;
    }, 10_000, 'the row marked sent');
    expect(row).to.include({ email_status: 'sent', email_attempts: 1, email_last_error: null, email_next_attempt_at: null });
    expect(row!.email_sent_at).to.be.instanceOf(Date);
    expect(smtp.received.filter((m) => m.to.includes(address))).to.have.length(1);
    // A second run finds nothing more to send for it.
    await dispatcher.runNow();
    expect(smtp.received.filter((m) => m.to.includes(address))).to.have.length(1);
  });

  it('keeps the e-mail when the SMTP server refuses: retried later, sent once the server takes it, failed after the last attempt; the app answers on', async () => {
    const committee = await createCommittee();
    const address = `van-thu.${committee.agency.id}@so-giao-duc.example.vn`;
    await db().updateTable('users').set({ email: address }).where('id', '=', committee.agency.id).execute();
    smtp.state.refuse = true;
    dispatcher = new MailDispatcher({ db: db(), smtpUrl: smtp.url, from: '"Sổ Dân vận khéo" <no-reply@localhost>', publicUrl: ctx().baseUrl, pollMs: 600_000, maxAttempts: 2, retryDelaySeconds: () => 3600 });

    const round = await openRound(committee);
    const first = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trương Văn Chờ' }));
    expect((await api('POST', `/nominations/${first}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung tờ trình' } })).status).to.equal(200);
    const [pending] = await emailState(committee.agency.id);
    expect(pending).to.include({ email_status: 'pending', email_attempts: 0 });

    const refused = await dispatcher.runNow();
    expect(refused.retrying).to.be.at.least(1);
    let [row] = await emailState(committee.agency.id);
    expect(row).to.include({ email_status: 'pending', email_attempts: 1 });
    expect(row!.email_last_error).to.match(/550|unavailable/i);
    expect(row!.email_next_attempt_at!.getTime()).to.be.greaterThan(Date.now() + 3_000_000); // not due again before its delay
    expect(smtp.received.filter((m) => m.to.includes(address))).to.have.length(0);
    // Not due yet: a run now leaves it alone.
    await dispatcher.runNow();
    expect((await emailState(committee.agency.id))[0]!.email_attempts).to.equal(1);
    // The app is unharmed meanwhile.
    expect((await api('GET', '/notifications', { token: committee.agency.token })).status).to.equal(200);

    // The server takes mail again; once due, it goes out.
    smtp.state.refuse = false;
    await db().updateTable('notifications').set({ email_next_attempt_at: sql<Date>`now()` }).where('id', '=', row!.id).execute();
    await dispatcher.runNow();
    [row] = await emailState(committee.agency.id);
    expect(row).to.include({ email_status: 'sent', email_attempts: 2, email_last_error: null });
    expect(smtp.received.filter((m) => m.to.includes(address))).to.have.length(1);

    // A server that keeps refusing: given up after the last attempt, the error kept.
    smtp.state.refuse = true;
    const second = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lý Thị Hết' }));
    await api('POST', `/nominations/${second}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung tờ trình' } });
    await dispatcher.runNow();
    const again = (await emailState(committee.agency.id))[1]!;
    await db().updateTable('notifications').set({ email_next_attempt_at: sql<Date>`now()` }).where('id', '=', again.id).execute();
    await dispatcher.runNow();
    const gaveUp = (await emailState(committee.agency.id))[1]!;
    expect(gaveUp).to.include({ email_status: 'failed', email_attempts: 2, email_next_attempt_at: null });
    expect(gaveUp.email_last_error).to.match(/550|unavailable/i);
    // The notification itself is there to read, e-mail or not.
    expect((await api('GET', '/notifications', { token: committee.agency.token })).body.total).to.equal(2);
  });

  it('marks as not e-mailed what waits for an account whose address was removed', async () => {
    const committee = await createCommittee();
    await db().updateTable('users').set({ email: `tam-thoi.${committee.agency.id}@so-giao-duc.example.vn` }).where('id', '=', committee.agency.id).execute();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Quách Văn Bỏ' }));
    await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung tờ trình' } });
    await db().updateTable('users').set({ email: null }).where('id', '=', committee.agency.id).execute();
    dispatcher = new MailDispatcher({ db: db(), smtpUrl: smtp.url, from: 'no-reply@localhost', publicUrl: ctx().baseUrl, pollMs: 600_000 });
    await dispatcher.runNow();
    expect((await emailState(committee.agency.id))[0]).to.include({ email_status: 'none', email_last_error: 'no e-mail address' });
  });

  it('e-mails nothing to a user who turned e-mails off on their account: not queued after, not sent if queued before; the bell keeps it', async () => {
    const committee = await createCommittee();
    const address = `tat-thu.${committee.agency.id}@so-giao-duc.example.vn`;
    const own = await api('PATCH', '/me', { token: committee.agency.token, body: { email: address } });
    expect(own.status).to.equal(200);
    expect(own.body).to.include({ email: address, emailNotifications: true });
    const round = await openRound(committee);
    const first = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Trước' }));
    await api('POST', `/nominations/${first}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung tờ trình' } });
    expect((await emailState(committee.agency.id))[0]).to.include({ email_status: 'pending' }); // queued while e-mails were on

    const off = await api('PATCH', '/me', { token: committee.agency.token, body: { emailNotifications: false } });
    expect(off.status).to.equal(200);
    expect(off.body).to.include({ email: address, emailNotifications: false });
    const second = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Sau' }));
    await api('POST', `/nominations/${second}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung biên bản' } });

    dispatcher = new MailDispatcher({ db: db(), smtpUrl: smtp.url, from: 'no-reply@localhost', publicUrl: ctx().baseUrl, pollMs: 600_000 });
    await dispatcher.runNow();
    const [queuedBefore, writtenAfter] = await emailState(committee.agency.id);
    expect(queuedBefore).to.include({ email_status: 'none', email_last_error: 'e-mails turned off by the user' });
    expect(writtenAfter).to.include({ email_status: 'none', email_attempts: 0 });
    expect(smtp.received.filter((m) => m.to.includes(address))).to.have.length(0);
    const unread = await api('GET', '/notifications?unread=true', { token: committee.agency.token });
    expect(unread.body.items).to.have.length(2);
  });
});
