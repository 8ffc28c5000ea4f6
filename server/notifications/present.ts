// How a notification reads: its stored kind and parameters made into a sentence in the reader's
// language at display time, for the API, the page, the bell and the e-mail (subject, text and HTML).
import Handlebars from 'handlebars';
import { formatDateTime, formatNumber, translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import type { NotificationKind, NotificationRow } from './repository.ts';

type Params = Record<string, unknown>;

const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const count = (value: unknown) => formatNumber(Number(value ?? 0));

/** The sentence of a notification in `language`. */
export function notificationText(language: Language, kind: NotificationKind, params: Params): string {
  const words = { nominee: str(params.nomineeName), round: str(params.roundTitle), reason: str(params.reason), unit: str(params.fromUnitName), number: str(params.decisionNumber), count: count(params.count) };
  switch (kind) {
    case 'nominations_forwarded':
      return translate(language, Number(params.count) === 1 && params.nomineeName ? 'notifications.text.nominations_forwarded.one' : 'notifications.text.nominations_forwarded.many', words);
    case 'decision_issued':
      return translate(language, params.audience === 'printer' ? 'notifications.text.decision_issued.printer' : 'notifications.text.decision_issued.agency', words);
    default:
      return translate(language, `notifications.text.${kind}` as MessageKey, words);
  }
}

export function notificationJson(row: NotificationRow, language: Language) {
  return {
    id: row.id,
    kind: row.kind,
    params: row.params,
    text: notificationText(language, row.kind, row.params as Params),
    href: row.href,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
    read: row.read_at !== null,
  };
}

/** One row of the notifications page. */
export function notificationView(row: NotificationRow, language: Language) {
  return { id: row.id, text: notificationText(language, row.kind, row.params as Params), unread: row.read_at === null, at: formatDateTime(row.created_at), atIso: row.created_at.toISOString() };
}

/** The bell's label: "Thông báo (3 chưa đọc)". */
export function bellView(language: Language, unread: number) {
  return { unread, count: formatNumber(unread), label: unread > 0 ? translate(language, 'notifications.bell', { count: formatNumber(unread) }) : translate(language, 'notifications.bellNone') };
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** The e-mail of a notification: a short subject, the sentence and the absolute link, as plain text and as simple HTML. */
export function notificationEmail(language: Language, notification: { kind: NotificationKind; params: Params; href: string }, reader: { fullName: string }, publicUrl: string): EmailContent {
  const words = { nominee: str(notification.params.nomineeName), round: str(notification.params.roundTitle), number: str(notification.params.decisionNumber) };
  const subject = `${translate(language, 'notifications.email.subjectPrefix')} ${translate(language, `notifications.subject.${notification.kind}` as MessageKey, words)}`;
  const sentence = notificationText(language, notification.kind, notification.params);
  const link = new URL(notification.href, publicUrl).toString();
  const greeting = translate(language, 'notifications.email.greeting', { name: reader.fullName });
  const open = translate(language, 'notifications.email.open');
  const footer = translate(language, 'notifications.email.footer', { app: translate(language, 'app.name') });
  const text = `${greeting}\n\n${sentence}\n\n${open}: ${link}\n\n--\n${footer}\n`;
  const e = Handlebars.escapeExpression;
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>`
    + `<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1a1a1a;">`
    + `<p>${e(greeting)}</p><p>${e(sentence)}</p><p><a href="${e(link)}">${e(open)}</a></p>`
    + `<hr><p style="color: #555; font-size: 0.9em;">${e(footer)}</p></body></html>`;
  return { subject: subject.replace(/[\r\n]+/g, ' '), text, html };
}
