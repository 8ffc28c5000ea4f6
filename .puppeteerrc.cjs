// Puppeteer never downloads a browser at install: this network cannot reach Google's servers, and a
// failed download used to fail `npm ci` itself. The renderer finds a Chromium at run time
// (PUPPETEER_EXECUTABLE_PATH, a system Chromium, or the one packaged in @sparticuz/chromium).
module.exports = {
  skipDownload: true,
};
