import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { openDatabase, type OpenDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ctx, testConfig } from '../support/context.ts';

async function get(baseUrl: string, path: string) {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe('health probes (/healthz, /readyz)', () => {
  it('answers /healthz 200 {"status":"ok"} without a login or a session cookie', async () => {
    const { status, body, headers } = await get(ctx().baseUrl, '/healthz');
    expect(status).to.equal(200);
    expect(body).to.deep.equal({ status: 'ok' });
    expect(headers.get('set-cookie')).to.equal(null);
  });

  it('answers /readyz 200 when the database answers with every migration applied, and says whether PDFs can be made', async () => {
    const { status, body, headers } = await get(ctx().baseUrl, '/readyz');
    expect(status).to.equal(200);
    expect(body).to.deep.equal({ status: 'ready', database: true, migrations: true, chromium: true });
    expect(headers.get('set-cookie')).to.equal(null);
    expect(headers.get('cache-control')).to.equal('no-store');
  });

  it('is never rate-limited: 120 probes from one address in a row all answer 200', async () => {
    const statuses = await Promise.all(Array.from({ length: 120 }, () => fetch(`${ctx().baseUrl}/readyz`, { headers: { 'x-forwarded-for': '10.77.0.1' } }).then((r) => r.status)));
    expect(new Set(statuses)).to.deep.equal(new Set([200]));
  });

  describe('on a database that is not ready', () => {
    let database: OpenDatabase;
    let server: Server;
    let baseUrl: string;
    before(async function () {
      this.timeout(120_000); // a new embedded database on a busy machine
      database = await openDatabase({ pgliteDir: 'memory://' });
      server = createServer(createApp({ config: testConfig(), db: database.db }));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close().catch(() => undefined);
    });

    it('answers 503 with migrations false before the migrations ran, 200 after, and chromium false without a browser', async () => {
      expect(await get(baseUrl, '/readyz')).to.deep.include({ status: 503, body: { status: 'not_ready', database: true, migrations: false, chromium: false } });
      await migrateToLatest(database.db);
      expect(await get(baseUrl, '/readyz')).to.deep.include({ status: 200, body: { status: 'ready', database: true, migrations: true, chromium: false } });
    });

    it('answers 503 with database false once the database is gone, while /healthz still answers 200', async () => {
      await database.close();
      expect(await get(baseUrl, '/readyz')).to.deep.include({ status: 503, body: { status: 'not_ready', database: false, migrations: false, chromium: false } });
      expect((await get(baseUrl, '/healthz')).status).to.equal(200);
    });
  });
});
