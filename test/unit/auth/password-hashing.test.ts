import { expect } from 'chai';
import { loadConfig } from '../../../server/config.ts';
import { SCRYPT_PARAMS, hashPassword, verifyPassword } from '../../../server/auth/passwords.ts';

describe('password hashing', () => {
  it('uses scrypt with N=2^17, r=8, a random salt, and verifies only the right password', async () => {
    // The production parameters, whatever cost this test process hashes its many users with.
    const [first, second] = await Promise.all([hashPassword('Mật khẩu đúng', SCRYPT_PARAMS), hashPassword('Mật khẩu đúng', SCRYPT_PARAMS)]);
    expect(first).to.match(new RegExp(`^scrypt\\$${SCRYPT_PARAMS.N}\\$8\\$1\\$`));
    expect(SCRYPT_PARAMS.N).to.equal(2 ** 17);
    expect(first).to.not.equal(second);
    expect(await verifyPassword('Mật khẩu đúng', first)).to.equal(true);
    expect(await verifyPassword('Mật khẩu đúng'.normalize('NFD'), first), 'NFD input is the same password').to.equal(true);
    expect(await verifyPassword('mật khẩu đúng', first)).to.equal(false);
  });

  it('hashes at N=2^17 unless told otherwise, and refuses a lower cost in production', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'production-secret-of-at-least-32-characters', PUBLIC_URL: 'https://dvk.example.vn' };
    expect(loadConfig(production).passwordHashCost).to.equal(17);
    expect(() => loadConfig({ ...production, PASSWORD_HASH_COST: '12' })).to.throw(/PASSWORD_HASH_COST/);
  });
});
