import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { createApp } from '../../server/app.ts';
import { ctx, db, testConfig } from '../support/context.ts';
import { createUser, TEST_PASSWORD } from '../support/factories.ts';

const randomAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('the client address behind a trusted proxy', function () {
  this.timeout(60_000);
  let server: Server;
  let baseUrl: string;

  before(async () => {
    // An app trusting exactly one hop: the loopback test client plays the proxy.
    const config = { ...testConfig({ TRUST_PROXY: '1' }), publicUrl: ctx().baseUrl };
    server = createServer(createApp({ config, db: db() }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function login(url: string, forwardedFor: string, username: string, password: string) {
    const response = await fetch(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password }),
    });
    return response.status;
  }

  for (const [label, url] of [['one trusted hop (TRUST_PROXY=1)', () => baseUrl], ['the loopback proxy (TRUST_PROXY=loopback)', () => ctx().baseUrl]] as const) {
    it(`keeps the per-address limit with ${label} when the client varies the left-most X-Forwarded-For entry`, async () => {
      const fixed = randomAddress();
      const { maxPerAddress } = ctx().config.loginThrottle;
      for (let i = 0; i < maxPerAddress; i++) await db().insertInto('login_failures').values({ username: `doan${i}`, ip: fixed }).execute();
      const user = await createUser({ role: 'member' });
      for (let i = 0; i < 3; i++) {
        expect(await login(url(), `${randomAddress()}, ${fixed}`, user.username, TEST_PASSWORD)).to.equal(429);
      }
      expect(await login(url(), `${fixed}, ${randomAddress()}`, user.username, TEST_PASSWORD), 'the right-most entry is the address').to.equal(201);
    });
  }
});
