// The certificate template is strict: a sheet missing any field the template reads fails to
// render instead of printing a certificate with a blank where the name, number or signer goes.
import { expect } from 'chai';
import Handlebars from 'handlebars';
import { calibrationSheet } from '../../../server/certificates/rendering/calibration.ts';
import { qrCode } from '../../../server/certificates/rendering/sheets.ts';
import { renderSheet, type CertificateSheet } from '../../../server/certificates/rendering/templates.ts';

/** Every field of a sheet, as a path ("recipient.name"), objects and their leaves alike. */
function fieldPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, item]) => {
    const path = [...prefix, key];
    return item && typeof item === 'object' && !Array.isArray(item) ? [path, ...fieldPaths(item as Record<string, unknown>, path)] : [path];
  });
}

function without(sheet: CertificateSheet, path: string[]): Record<string, unknown> {
  const copy = structuredClone(sheet) as unknown as Record<string, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  delete parent[path.at(-1)!];
  return copy;
}

describe('certificate template (strict Handlebars)', () => {
  let sheet: CertificateSheet;
  before(async () => {
    sheet = calibrationSheet('https://dvk.example.gov.vn');
  });

  it('renders a complete sheet with every value in it', () => {
    const html = renderSheet('bang_khen', sheet);
    for (const text of [sheet.recipient.name, sheet.authority, sheet.awardTitle, sheet.achievement, sheet.placeDate, sheet.signer.name, sheet.decisionLine, sheet.registerNumber!, sheet.qr.url, sheet.copyLabel!, ...sheet.signer.titleLines]) {
      expect(html).to.contain(Handlebars.escapeExpression(text));
    }
  });

  it('throws when the name is missing', () => {
    expect(() => renderSheet('bang_khen', without(sheet, ['recipient', 'name']))).to.throw(/name/);
  });

  it('throws when any field the template reads is missing, including those only tested by #if or #each', () => {
    const rendered: string[] = [];
    for (const path of fieldPaths(sheet as unknown as Record<string, unknown>)) {
      try {
        renderSheet('bang_khen', without(sheet, path));
        rendered.push(path.join('.'));
      } catch {
        // expected
      }
    }
    expect(rendered, 'fields whose absence still rendered a sheet').to.deep.equal([]);
  });

  it('renders fields that are present but null (no copy label, no register number, no position)', () => {
    const html = renderSheet('bang_khen', { ...sheet, copyLabel: null, registerNumber: null, recipient: { ...sheet.recipient, honorific: null, position: null, unitName: null } });
    expect(html).to.contain(sheet.recipient.name);
    expect(html).to.not.contain('Số sổ');
    expect(html).to.not.contain('copy-label');
  });

  it('escapes markup in every text it prints', () => {
    const html = renderSheet('bang_khen', { ...sheet, achievement: '<img src=x onerror=alert(1)>', recipient: { ...sheet.recipient, name: '"><script>alert(1)</script>' } });
    expect(html).to.not.contain('<img src=x');
    expect(html).to.not.contain('<script>');
    expect(html).to.contain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).to.contain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('draws the QR code as a path of numbers whatever the URL holds, one run per dark stretch of a row', () => {
    const { size, path } = qrCode('https://dvk.example.gov.vn/verify/"><script>alert(1)</script>');
    expect(path).to.match(/^(M\d+ \d+\.5h\d+)+$/);
    expect((size - 17) % 4, 'a QR code is 17 + 4 × version modules wide').to.equal(0);
    // The three finder patterns: row 0 starts with 7 dark modules on the left and ends with 7 on the right.
    expect(path.startsWith('M0 0.5h7')).to.equal(true);
    expect(path).to.contain(`M${size - 7} 0.5h7`);
  });
});
