// The signed-in user as every request sees it, loaded fresh on each request so a disabled
// account or a changed role takes effect at once.
import type { Language } from '../web/i18n/index.ts';

export const ROLES = ['admin', 'agency', 'secretary', 'member', 'printer'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  unitId: number;
  unitName: string;
  language: Language;
  /** The unread notifications, counted with the user at the start of a page's request (the bell); absent for a token's user. */
  unreadNotifications?: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User extends SessionUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    loginAt?: number;
    language?: Language;
    flash?: string;
  }
}
