// SECURITY.md, renderer rules: HTML in a name, position or achievement never reaches the network
// or a local file. A canary HTTP server on loopback counts every request the renderer might make;
// it must receive none, and the PDF must show the payloads as literal text. The renderer itself is
// also given the payloads as real, unescaped HTML, to prove the interception and JavaScript-off
// rules hold even if escaping ever failed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { createCommittee } from '../support/awards.ts';
import { collapse, download, issueDecision, pdfInfo, pdfText, printerOf, sleep, unwrapRaw } from '../support/certificates.ts';
import { certificateDocument } from '../../server/certificates/rendering/templates.ts';

interface Canary {
  port: number;
  hits: string[];
  close(): Promise<void>;
}

async function startCanary(): Promise<Canary> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('canary');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port, hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function payloads(port: number) {
  const origin = `http://127.0.0.1:${port}`;
  return {
    img: `<img src=${origin}/img>`,
    iframe: '<iframe src=file:///etc/passwd>',
    importCss: `<style>@import url(${origin}/css)</style>`,
    link: `<link rel=stylesheet href=${origin}/link>`,
    fontFace: `<style>@font-face{font-family:x;src:url(${origin}/font)}</style>`,
    fontFaceBare: `@font-face{src:url(${origin}/font2)}`,
    meta: `<meta http-equiv=refresh content="0;url=${origin}/meta">`,
    script: `<script>fetch('${origin}/js')</script>`,
    object: `<object data=${origin}/obj>`,
    localImage: '<img src=file:///etc/passwd>',
    svg: `<svg><image href="${origin}/svg"/></svg>`,
    background: `<div style="background:url(${origin}/bg)">x</div>`,
  };
}

describe('certificate renderer: hostile text stays text and stays offline', () => {
  let canary: Canary;

  beforeEach(async () => {
    canary = await startCanary();
  });
  afterEach(async () => {
    await canary.close();
  });

  it('prints names, positions and achievements full of HTML as literal text, with no request to the canary and no local file read', async function () {
    this.timeout(120_000);
    const p = payloads(canary.port);
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    const nominees = [
      { name: p.img, position: p.iframe, achievement: Object.values(p).join(' ') },
      { name: p.script, kind: 'collective' as const, achievement: `${p.meta} ${p.object} ${p.svg}` },
      { name: p.link, position: p.importCss, achievement: `${p.fontFaceBare} ${p.fontFace} ${p.background}` },
      { name: p.object, position: p.localImage, achievement: `${p.meta} Đã có thành tích xuất sắc` },
    ];
    const decision = await issueDecision(committee, nominees);
    const first = decision.certificates.find((c) => c.recipientName === p.img)!;

    const single = await download(`/certificates/${first.id}.pdf`, printer.token);
    const whole = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    const overlay = await download(`/decisions/${decision.id}/certificates.pdf?mode=overlay`, printer.token);
    await sleep(500);
    expect(canary.hits, 'requests that reached the canary').to.deep.equal([]);

    for (const answer of [single, whole, overlay]) expect(answer.status).to.equal(200);
    expect((await pdfInfo(single.bytes)).pages).to.equal(1);
    expect((await pdfInfo(whole.bytes)).pages).to.equal(4);
    // Raw text: a payload may wrap after one of its hyphens ("@font-⏎face"), which the default mode would swallow.
    const singleText = unwrapRaw(await pdfText(single.bytes, { raw: true }));
    expect(singleText).to.contain(`<img src=http://127.0.0.1:${canary.port}/img>`);
    for (const payload of Object.values(p)) expect(singleText, payload).to.contain(collapse(payload));
    const wholeText = unwrapRaw(await pdfText(whole.bytes, { raw: true }));
    for (const nominee of nominees) {
      for (const text of [nominee.name, nominee.position, nominee.achievement]) if (text) expect(wholeText, text).to.contain(collapse(text));
    }
    expect(unwrapRaw(await pdfText(overlay.bytes, { raw: true }))).to.contain(collapse(p.script));
    for (const text of [singleText, wholeText]) {
      expect(text).to.not.contain('root:');
      expect(text).to.not.contain('canary');
    }
  });

  it('blocks every request and runs no script even when the payloads reach the renderer as real HTML', async function () {
    this.timeout(60_000);
    const p = payloads(canary.port);
    const { meta, ...rest } = p;
    const body = `<section class="sheet"><p>TRƯỚC</p>${Object.values(rest).join('\n')}
      <script>document.write('JS-RAN')</script>
      <iframe src="file:///etc/hostname"></iframe><embed src="${`http://127.0.0.1:${canary.port}/embed`}">
      <p>SAU</p></section>`;
    const layout = { mode: 'full' as const, paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0 };
    const pdf = await ctx().renderer.renderPdf(certificateDocument([body], layout), { widthMm: 297, heightMm: 210 });
    // A meta refresh asks for a navigation: it must be refused too, on its own page.
    const refreshed = await ctx().renderer.renderPdf(certificateDocument([`<section class="sheet">${meta}<p>TRANG</p></section>`], layout), { widthMm: 297, heightMm: 210 });
    await sleep(500);
    expect(canary.hits, 'requests that reached the canary').to.deep.equal([]);

    const text = await pdfText(pdf);
    expect(text).to.contain('TRƯỚC');
    expect(text).to.contain('SAU');
    expect(text).to.not.contain('JS-RAN');
    expect(text).to.not.contain('root:');
    expect(text).to.not.contain('canary');
    expect((await pdfInfo(refreshed)).pages).to.equal(1);
    // The refused navigation leaves Chromium's blank error page: nothing of the canary, nothing local.
    expect(await pdfText(refreshed)).to.not.contain('canary');
  });
});
