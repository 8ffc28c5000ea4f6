// Skip Puppeteer's own Chrome download when a system Chromium exists: this network cannot reach
// Google's servers, and the system browser is what we render with anyway. A machine without one
// (and with internet) still gets Puppeteer's Chrome.
const fs = require('node:fs');
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
module.exports = {
  skipDownload: Boolean(process.env.PUPPETEER_EXECUTABLE_PATH || systemChromium),
};
