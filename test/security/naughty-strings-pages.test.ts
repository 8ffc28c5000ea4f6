// The Big List of Naughty Strings (test/support/naughty.ts says how), this file: error pages with a payload in the path or the query: never a 5xx, never the payload unescaped.
import { api, Browser } from '../support/http.ts';
import { agencyToken, f, naughtyDescribe, SAMPLE, SWEEP } from '../support/naughty.ts';
import { escapeHtml as htmlEscape, Failures, htmlReflectsRaw, inPool, stored } from '../support/security.ts';

naughtyDescribe('error pages', () => {
  describe('error pages never reflect a payload unescaped', () => {
    // Every string for the model page, the search box and an unknown anonymous path; the sample for the other pages.
    for (const [label, path, who, strings] of [
      ['GET /models/<payload> (signed in)', (p: string) => `/models/${p}`, 'agency', SWEEP],
      ['GET /models?q=<payload> (signed in)', (p: string) => `/models?q=${p}`, 'agency', SWEEP],
      ['GET /<payload> (anonymous)', (p: string) => `/${p}`, 'anonymous', SWEEP],
      ['GET /nominations/<payload> (signed in)', (p: string) => `/nominations/${p}`, 'agency', SAMPLE],
      ['GET /awards/<payload> (signed in)', (p: string) => `/awards/${p}`, 'secretary', SAMPLE],
      ['GET /decisions/<payload> (signed in)', (p: string) => `/decisions/${p}`, 'secretary', SAMPLE],
      ['GET /verify/<payload> (anonymous)', (p: string) => `/verify/${p}`, 'anonymous', SAMPLE],
    ] as const) {
      it(`${label}: ${strings.length} strings`, async () => {
        const failures = new Failures(label);
        await inPool(strings, 4, async (payload) => {
          const browser = who === 'anonymous' ? new Browser() : f.browsers[who];
          const page = await browser.get(path(encodeURIComponent(payload)));
          if (page.status >= 500) failures.add(payload, `answered ${page.status}`);
          const raw = htmlReflectsRaw(page.html, payload);
          if (raw) failures.add(payload, `${page.status}: ${raw}`);
          if (label.includes('?q=') && page.status === 200 && stored(payload) !== '' && !page.html.includes(htmlEscape(stored(payload)))) {
            failures.add(payload, 'the search box does not show the escaped (trimmed) query');
          }
        });
        failures.check();
      });
    }

    it('GET /api/v1/models/<payload>: JSON errors, never 5xx', async () => {
      const failures = new Failures('API path');
      await inPool(SWEEP, 4, async (payload) => {
        const response = await api('GET', `/models/${encodeURIComponent(payload)}`, { token: agencyToken() });
        if (response.status >= 500) failures.add(payload, `answered ${response.status}`);
        else if (response.status !== 200 && !(response.headers.get('content-type') ?? '').startsWith('application/json')) failures.add(payload, `${response.status} not JSON`);
      });
      failures.check();
    });
  });
});
