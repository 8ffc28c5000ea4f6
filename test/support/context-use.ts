// Whether the test files loaded in this process need the shared database and app. context.ts says so
// when it is loaded (every integration file imports it, directly or through factories, http, ...);
// hooks.ts reads it once all the files are loaded, so a run of pure files starts nothing.
// The flag lives on globalThis: Mocha may load hooks.ts as CommonJS and the test files as ES modules,
// and each would then get its own copy of this module.
const FLAG = Symbol.for('dvk.test.contextNeeded');
const flags = globalThis as { [FLAG]?: boolean };

export function needContext(): void {
  flags[FLAG] = true;
}

export function contextNeeded(): boolean {
  return flags[FLAG] === true;
}

/**
 * The name every server database of this run starts with (dvk_test_<run>_): the run is the id of the
 * mocha process, which hooks.ts hands to its parallel workers in DVK_TEST_RUN, so that the main
 * process can drop the databases of workers that ended without dropping their own.
 */
export function testDatabasePrefix(): string {
  process.env.DVK_TEST_RUN ??= String(process.pid);
  return `dvk_test_${process.env.DVK_TEST_RUN}_`;
}
