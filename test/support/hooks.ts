// Mocha root hooks: start the shared database and app once, stop them at the end, but only when a
// loaded test file needs them. Mocha loads every test file before it runs a hook, and any file that
// uses the app loads context.ts (directly or through factories.ts, http.ts, ...), which says so
// (context-use.ts). A run of pure files (test/unit/, or `npx mocha test/unit/...` alone) starts nothing.
import { contextNeeded } from './context-use.ts';

type ContextModule = typeof import('./context.ts');

/**
 * context.ts as the test files see it. Mocha loads them with require() where Node has require(esm)
 * (tsx then compiles them to CommonJS), with import() otherwise; a module loaded both ways would be two
 * modules with two contexts, so this loads it the way this file itself was loaded.
 */
function contextModule(): Promise<ContextModule> {
  return typeof require === 'function' ? Promise.resolve(require('./context.ts') as ContextModule) : import('./context.ts');
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    if (!contextNeeded()) return;
    this.timeout(120_000);
    await (await contextModule()).startTestContext();
  },
  async afterAll(this: Mocha.Context) {
    if (!contextNeeded()) return;
    this.timeout(60_000);
    await (await contextModule()).stopTestContext();
  },
};
