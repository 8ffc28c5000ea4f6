// The decision page's panel for signing with a USB token: the signed copy, and a session's two
// addresses once opened, in the reader's language.
import { formatDateTime, translate, type Language } from '../web/i18n/index.ts';
import { SESSION_MINUTES } from './service.ts';

export interface SigningPanel {
  intro: string;
  signedCopy: { text: string; href: string } | null;
  session: { sourceUrl: string; uploadUrl: string; expires: string } | null;
}

export function signingPanel(language: Language, decisionId: number, status: { copy: { signer_name: string | null; signed_at: Date } | null }, session: { sourceUrl: string; uploadUrl: string; expiresAt: Date } | null = null): SigningPanel {
  return {
    intro: translate(language, 'signing.intro', { minutes: SESSION_MINUTES }),
    signedCopy: status.copy ? { text: translate(language, 'signing.signedBy', { name: status.copy.signer_name ?? '—', time: formatDateTime(status.copy.signed_at) }), href: `/decisions/${decisionId}/signed.pdf` } : null,
    session: session ? { sourceUrl: session.sourceUrl, uploadUrl: session.uploadUrl, expires: translate(language, 'signing.expiresAt', { time: formatDateTime(session.expiresAt) }) } : null,
  };
}
