import { expect } from 'chai';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import { loadConfig } from '../../../server/config.ts';
import { logUnexpectedError } from '../../../server/ops/logging.ts';

const SECRET = 'a-production-secret-of-at-least-32-characters';

describe('settings for logs and production warnings', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: SECRET };

  it('warns about a PUBLIC_URL left unset or pointing at this machine in production only', () => {
    expect(loadConfig({ ...production }).publicUrlWarning).to.equal('PUBLIC_URL is not set');
    expect(loadConfig({ ...production, PUBLIC_URL: 'http://localhost:3000' }).publicUrlWarning).to.equal('PUBLIC_URL points at localhost');
    expect(loadConfig({ ...production, PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrlWarning).to.equal('PUBLIC_URL points at 127.0.0.1');
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://dvk.angiang.gov.vn' }).publicUrlWarning).to.equal(undefined);
    expect(loadConfig({ NODE_ENV: 'development' }).publicUrlWarning).to.equal(undefined);
  });

  it('logs at info by default, silently under test, and at the LOG_LEVEL given', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).logLevel).to.equal('info');
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).to.equal('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).logLevel).to.equal('warn');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(/LOG_LEVEL/);
  });

  it('logs an unexpected error with the reference the user is shown, its stack, and the path without the query', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const res = { locals: {} } as Response;
    logUnexpectedError({ log, method: 'GET', originalUrl: '/models?token=secret' } as unknown as Request, res, '1a2b3c4d', new Error('boom'));
    const entry = JSON.parse(lines[0]!) as { errorRef: string; path: string; err: { message: string; stack: string }; level: number };
    expect(entry).to.include({ errorRef: '1a2b3c4d', path: '/models', level: 50 });
    expect(entry.err.message).to.equal('boom');
    expect(entry.err.stack).to.include('Error: boom');
    expect(res.locals.errorRef).to.equal('1a2b3c4d');
  });
});
