// Mocha root hooks: start the shared database and app once, stop them at the end.
import { startTestContext, stopTestContext } from './context.ts';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startTestContext();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopTestContext();
  },
};
