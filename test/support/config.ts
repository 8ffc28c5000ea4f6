// The app's settings under test. Kept apart from context.ts so that unit tests (test/unit/) can read
// settings without loading the database and app that context.ts brings up.
import { loadConfig, type Config } from '../../server/config.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    // The test client connects from 127.0.0.1 and writes one X-Forwarded-For entry: a trusted loopback
    // proxy hands that entry on, so each client presents its own address to the login throttle.
    TRUST_PROXY: 'loopback',
    PASSWORD_HASH_COST: '12', // scrypt N=2^12 for the many users tests create; production keeps 2^17
    SESSION_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    ...overrides,
  });
}
