// The print-layouts page in a real browser (Chromium, axe-core): an administrator sees, per template,
// the emblem (the placeholder until one is uploaded) and a form per print mode with the paper size
// and, for blank forms, the lines the form already carries; saves the overlay's lines with the
// checkboxes. Desktop and phone, screenshots in test/screenshots/print-layouts-*.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { createUser } from '../support/factories.ts';
import { QueueWalk, SCREENS, useBrowserSession } from '../support/work-queue.ts';

describe('print layouts page in a real browser', function () {
  this.timeout(180_000);
  const browser = useBrowserSession();

  for (const screen of SCREENS) {
    it(`shows the emblem placeholder, the paper sizes and the blank form's lines, and saves the ticked lines (${screen.name})`, async function () {
      const session = browser();
      const admin = await createUser({ role: 'admin' });
      const walk = new QueueWalk(session, screen, 'print-layouts');
      const { page } = session;
      const before = await db().selectFrom('print_layouts').select('preprinted').where('template', '=', 'mo_hinh').where('mode', '=', 'overlay').executeTakeFirstOrThrow();
      try {
        await walk.run(async () => {
          await walk.signIn(admin.username);
          await session.visit('/admin/print-layouts');
          expect(await session.text('#emblem-mo_hinh')).to.contain('Chưa tải lên: bằng khen in khung giữ chỗ “Vị trí Quốc huy”.');
          await walk.inspect('01-page');
          const form = 'form[action="/admin/print-layouts/mo_hinh/overlay"]';
          expect(await page.$eval(`${form} input[name="paperSize"][value="a4"]`, (input) => (input as HTMLInputElement).checked)).to.equal(true);
          // The blank form carries the border and the national title only: untick the rest.
          for (const line of ['emblem', 'verb', 'title']) await page.click(`${form} input[name="preprinted"][value="${line}"]`);
          await session.clickAndWait(`${form} button[type="submit"]`);
          expect(session.pathname()).to.equal('/admin/print-layouts');
          expect(await session.text('.flash')).to.equal('Đã lưu căn chỉnh.');
          const saved = await db().selectFrom('print_layouts').select('preprinted').where('template', '=', 'mo_hinh').where('mode', '=', 'overlay').executeTakeFirstOrThrow();
          expect(saved.preprinted).to.have.members(['border', 'nation']);
          await walk.inspect('02-saved');
        });
      } finally {
        await db().updateTable('print_layouts').set({ preprinted: before.preprinted }).where('template', '=', 'mo_hinh').where('mode', '=', 'overlay').execute();
      }
    });
  }
});
