// The renderer's page lifecycle. A reused page keeps what it laid out (bench/certificates.ts measured
// ~35 MB per chunk of 100), so pages are retired after a budget of HTML. (The batch path's ordering,
// which needs no browser: test/unit/certificates/batch-order.test.ts.)
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { findBrowser, createRenderer } from '../../server/certificates/rendering/setup.ts';
import { certificateDocument } from '../../server/certificates/rendering/templates.ts';
import { pdfText, sleep } from '../support/certificates.ts';

const LAYOUT = { mode: 'full' as const, paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0 };
const A4 = { widthMm: 297, heightMm: 210 };
const documentSaying = (text: string) => certificateDocument([`<section class="sheet"><p>${text}</p></section>`], LAYOUT);

describe('certificate renderer: pages are reused, then retired after their budget', () => {
  it('reuses one page for small documents and warms a new one once the budget is spent', async function () {
    this.timeout(60_000);
    const executablePath = await findBrowser(ctx().config.chromiumPath);
    if (!executablePath) throw new Error('no Chromium found');
    const small = documentSaying('TRANG');
    const renderer = createRenderer(executablePath, { concurrency: 1, pageBudgetBytes: small.length * 4 });
    try {
      const texts: string[] = [];
      for (let i = 0; i < 3; i++) texts.push(await pdfText(await renderer.renderPdf(documentSaying(`TRANG ${i}`), A4)));
      expect(renderer.pagesOpened, 'three documents within the budget share one page').to.equal(1);
      await renderer.renderPdf(small, A4); // over the budget: this page is closed after the render
      // Its replacement opens and loads the fonts in the background, before any render asks for it.
      for (let waited = 0; renderer.pagesOpened < 2 && waited < 10_000; waited += 50) await sleep(50);
      expect(renderer.pagesOpened, 'a replacement opened without a render waiting').to.equal(2);
      await renderer.renderPdf(small, A4);
      expect(renderer.pagesOpened, 'the next render takes the warmed replacement').to.equal(2);
      expect(renderer.launches, 'retiring a page does not relaunch the browser').to.equal(1);
      texts.forEach((text, i) => expect(text).to.contain(`TRANG ${i}`));
    } finally {
      await renderer.close();
    }
  });
});
