// The renderer's page lifecycle and the batch path's ordering. A reused page keeps what it laid out
// (bench/certificates.ts measured ~35 MB per chunk of 100), so pages are retired after a budget of
// HTML; and a batch keeps as many chunks in flight as the renderer has pages, in order.
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { findBrowser, createRenderer } from '../../server/certificates/setup.ts';
import { inOrder } from '../../server/certificates/service.ts';
import { certificateDocument } from '../../server/certificates/templates.ts';
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

describe('batch path: chunks in flight, results in order', () => {
  it('keeps at most `width` items running and hands results over in the items\' order', async () => {
    let running = 0;
    let most = 0;
    const taken: number[] = [];
    // Later items finish first: the order handed over must still be the items' order.
    await inOrder([50, 40, 30, 20, 10, 5], 2, async (delay, index) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(delay);
      running -= 1;
      return index;
    }, async (result) => {
      taken.push(result);
    });
    expect(taken).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(most).to.equal(2);
  });

  it('stops starting new work after a failure, lets the started work settle, and throws the failure', async () => {
    const started: number[] = [];
    const taken: number[] = [];
    let settled = 0;
    const failure = await inOrder([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      await sleep(item === 1 ? 5 : 20);
      settled += 1;
      if (item === 1) throw new Error('chunk 1 failed');
      return item;
    }, async (result) => {
      taken.push(result);
    }).then(() => undefined, (error: Error) => error);
    expect(failure?.message).to.equal('chunk 1 failed');
    expect(taken).to.deep.equal([0]);
    expect(started).to.deep.equal([0, 1, 2]); // 2 was started when 0 was taken; nothing after the failure
    expect(settled).to.equal(3);
  });
});
