// The uploaded emblem check: a PNG by its first bytes, an SVG only when it is well-formed and inert.
import { expect } from 'chai';
import { checkEmblem, svgIsInert } from '../../../server/certificates/emblems.ts';

const INKSCAPE = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 100 100" width="100" height="100">
  <sodipodi:namedview id="base" pagecolor="#ffffff"/>
  <defs><linearGradient id="g"><stop offset="0" style="stop-color:#c00"/></linearGradient></defs>
  <style>.a { fill: url(#g); }</style>
  <circle class="a" cx="50" cy="50" r="40" fill="url(#g)"/>
  <use xlink:href="#base"/>
  <text x="10" y="20">Quốc huy &amp; logo</text>
</svg>`;

describe('emblem upload check', () => {
  it('accepts a PNG by its signature and an inert SVG as drawn by an editor', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(20)]);
    expect(checkEmblem(png)).to.include({ contentType: 'image/png' });
    expect(svgIsInert(INKSCAPE)).to.equal(true);
    expect(checkEmblem(Buffer.from(INKSCAPE))).to.include({ contentType: 'image/svg+xml' });
  });

  it('refuses what is neither (a GIF, a PDF, text) as emblem_type', () => {
    for (const content of ['GIF89a....', '%PDF-1.4', 'hello', '<html><body></body></html>']) {
      expect(checkEmblem(Buffer.from(content)), content).to.include({ field: 'emblem', reason: 'emblem_type' });
    }
  });

  const hostile = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT>alert(1)</SCRIPT></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><circle ONCLICK="x()"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1/x.png"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><use xlink:href="http://evil/x.svg#a"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><use href="file:///etc/passwd#a"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe src="x"></iframe></foreignObject></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://evil/x.css);</style></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://evil/p)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(\'http://evil/p\')"/></svg>',
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><![CDATA[<script>alert(1)</script>]]></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><circle/></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><circle r=5/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"></svg><script>alert(1)</script>',
    '<html><svg></svg></html>',
    '<svg xmlns="http://www.w3.org/2000/svg"><use href="&#x68;ttp://evil/a"/></svg>',
  ];
  for (const svg of hostile) {
    it(`refuses ${svg.slice(0, 70)} as emblem_unsafe`, () => {
      expect(checkEmblem(Buffer.from(svg))).to.include({ field: 'emblem', reason: 'emblem_unsafe' });
    });
  }
});
