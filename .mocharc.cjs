// One real Temporal dev server per run: test/support/global-fixtures.ts starts it once, every test file shares it.
module.exports = {
  require: ['tsx/cjs', 'test/support/global-fixtures.ts'],
  extension: ['ts'],
  timeout: 30_000,
  exit: true,
};
