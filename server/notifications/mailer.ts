// The e-mail outbox's dispatcher: after the event's transaction has committed, it claims the due
// notifications (SKIP LOCKED, so several processes never send one twice), sends each through SMTP
// (nodemailer) outside any transaction, and marks it sent, or due again later with a growing delay,
// or failed after the last attempt. Woken after each write (app.ts, the print worker) and on a timer
// that also catches what other processes wrote. Nothing is lost when the SMTP server refuses or is down.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../db/database.ts';
import type { Language } from '../web/i18n/index.ts';
import { notificationEmail } from './present.ts';
import * as repository from './repository.ts';
import type { ClaimedEmail } from './repository.ts';

export interface DispatcherOptions {
  db: Database;
  /** SMTP_URL; a transport may be given instead (tests). */
  smtpUrl?: string;
  transport?: Transporter;
  from: string;
  /** Base of the links in the e-mails (PUBLIC_URL). */
  publicUrl: string;
  /** How often to look for due e-mails without being woken (ms). */
  pollMs?: number;
  /** Attempts before an e-mail is given up (status failed). */
  maxAttempts?: number;
  /** Delay before the n-th retry (n = attempts made so far), in seconds. */
  retryDelaySeconds?: (attempts: number) => number;
  /** A notification older than this is no longer e-mailed (an SMTP server set up months later must not send the backlog). */
  maxAgeHours?: number;
  /** E-mails claimed per round trip, and how long a claim holds before another process may take it (s). */
  batchSize?: number;
  leaseSeconds?: number;
  /** Where a failed send is reported (the process's log); the row keeps the error too. */
  onError?: (error: unknown) => void;
}

/** 1 min, 4 min, 16 min, 64 min, then 4 h 16 min: six attempts over about six hours. */
export const defaultRetryDelay = (attempts: number) => Math.min(60 * 4 ** Math.max(0, attempts - 1), 6 * 3600);

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

export class MailDispatcher {
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DispatchResult> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    if (!options.transport && !options.smtpUrl) throw new Error('MailDispatcher needs SMTP_URL or a transport');
    this.transport = options.transport ?? nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  }

  /** Starts the timer and looks for due e-mails at once (those left by a previous run of the process). */
  start(): this {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 30_000);
    this.timer.unref();
    this.wake();
    return this;
  }

  /** Asks for a run soon; runs already under way are followed by one more, never overlapped. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runNow().catch((error: unknown) => this.options.onError?.(error));
  }

  /** Sends every due e-mail now; answers what happened (tests call it directly). */
  async runNow(): Promise<DispatchResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    }
  }

  /** Stops the timer, lets the run in progress finish, and closes the SMTP connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.transport.close();
  }

  private async drain(): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    const batchSize = this.options.batchSize ?? 20;
    for (;;) {
      if (this.stopped) return result;
      const claimed = await repository.claimDueEmails(this.options.db, batchSize, this.options.leaseSeconds ?? 300);
      for (const email of claimed) result[await this.deliver(email)] += 1;
      if (claimed.length < batchSize) return result;
    }
  }

  private async deliver(email: ClaimedEmail): Promise<keyof DispatchResult> {
    const { db } = this.options;
    if (!email.email || !email.wants_email || email.disabled) {
      await repository.settleEmail(db, email.id, { status: 'none', error: email.disabled ? 'account disabled' : !email.email ? 'no e-mail address' : 'e-mails turned off by the user' });
      return 'skipped';
    }
    if (Date.now() - email.created_at.getTime() > (this.options.maxAgeHours ?? 72) * 3_600_000) {
      await repository.settleEmail(db, email.id, { status: 'failed', error: 'expired: too old to send' });
      return 'failed';
    }
    const language: Language = email.language === 'en' ? 'en' : 'vi';
    const content = notificationEmail(language, email, { fullName: email.full_name }, this.options.publicUrl);
    try {
      await this.transport.sendMail({ from: this.options.from, to: { name: email.full_name, address: email.email }, subject: content.subject, text: content.text, html: content.html, headers: { 'Auto-Submitted': 'auto-generated' } });
      await repository.settleEmail(db, email.id, { status: 'sent' });
      return 'sent';
    } catch (error) {
      this.options.onError?.(error);
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      if (email.email_attempts >= (this.options.maxAttempts ?? 6)) {
        await repository.settleEmail(db, email.id, { status: 'failed', error: message });
        return 'failed';
      }
      await repository.settleEmail(db, email.id, { status: 'pending', retryInSeconds: (this.options.retryDelaySeconds ?? defaultRetryDelay)(email.email_attempts), error: message });
      return 'retrying';
    }
  }
}
