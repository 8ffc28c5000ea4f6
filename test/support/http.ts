// Real HTTP against the running app: a browser-like client with a cookie jar and CSRF tokens for
// the pages, and a JSON client for the API.
import { randomInt } from 'node:crypto';
import { AssertionError } from 'chai';
import { REASONS, REFUSAL_REASONS } from '../../server/reasons.ts';
import { ctx } from './context.ts';

export interface PageResponse {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

/** A browser: keeps cookies, reads the CSRF token from the last form it saw, has its own address. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  readonly address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

  async get(path: string): Promise<PageResponse> {
    return this.request('GET', path);
  }

  /** Posts a form; the CSRF token is added unless `_csrf` is given (or given as null to leave it out). */
  async post(path: string, form: Record<string, string | string[] | null> = {}): Promise<PageResponse> {
    const fields = new URLSearchParams();
    if (!('_csrf' in form) && this.csrfToken) fields.append('_csrf', this.csrfToken);
    for (const [key, value] of Object.entries(form)) {
      for (const item of value === null ? [] : Array.isArray(value) ? value : [value]) fields.append(key, item);
    }
    return this.request('POST', path, fields.toString());
  }

  async login(username: string, password: string): Promise<PageResponse> {
    await this.get('/login');
    return this.post('/login', { username, password });
  }

  get sessionId(): string | undefined {
    return this.cookies.get('dvk.sid');
  }

  private async request(method: string, path: string, body?: string): Promise<PageResponse> {
    const response = await fetch(ctx().baseUrl + path, {
      method,
      redirect: 'manual',
      body,
      headers: {
        'x-forwarded-for': this.address,
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, html, location: response.headers.get('location'), headers: response.headers };
  }
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(method: string, path: string, options: { token?: string; body?: unknown; address?: string; language?: string } = {}): Promise<ApiResponse<T>> {
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.language ? { 'accept-language': options.language } : {}),
      'x-forwarded-for': options.address ?? `10.200.${randomInt(256)}.${randomInt(1, 255)}`,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : undefined) as T;
  expectListedReasons(method, path, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

/**
 * Every 409 and every 422 detail met anywhere in the suite names its rule with a reason from the
 * catalogue (server/reasons.ts, API.md Errors): a refusal without one fails the test that met it.
 */
export function expectListedReasons(method: string, path: string, status: number, body: unknown): void {
  const error = (body as { error?: { reason?: string; details?: { field: string; reason?: string }[] } } | undefined)?.error;
  const where = `${method} ${path} answered ${status}`;
  if (status === 409 && !(error?.reason && error.reason in REFUSAL_REASONS)) {
    throw new AssertionError(`${where} without a listed reason: ${JSON.stringify(body)}`);
  }
  if (status === 422) {
    const unlisted = (error?.details ?? []).filter((detail) => !(detail.reason && detail.reason in REASONS));
    if (!error?.details?.length || unlisted.length > 0) throw new AssertionError(`${where} with details lacking a listed reason: ${JSON.stringify(body)}`);
  }
}
