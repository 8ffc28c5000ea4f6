import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('templates', () => {
  it('use only escaped {{ }} output: no triple-stash outside a reviewed allow-list', async () => {
    const offenders: string[] = [];
    const templates = ['views', 'certificates'].flatMap((folder) =>
      readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.hbs')).map((file) => join(folder, file)),
    );
    expect(templates.length).to.be.greaterThan(5);
    for (const file of templates) {
      const text = readFileSync(join(root, file), 'utf8');
      if (text.includes('{{{') && !text.includes('allow-unescaped')) offenders.push(file);
    }
    expect(offenders).to.deep.equal([]);
  });
});
