// The empty-database template the build makes, and when new embedded databases may start from it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedTemplate, installedPgliteVersion } from '../../src/embedded-template.js';
import { tempDir } from '../helpers/tmp.js';

const dist = new URL('../../dist/', import.meta.url);

describe('the embedded database template', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const folderWith = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tempDir(), 'template-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return pathToFileURL(`${dir}/`);
  };

  it('is built for the installed PGlite, and a database loaded from it is an empty, working one', async () => {
    const template = embeddedTemplate(dist);
    expect(template).toBeInstanceOf(Blob);
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite({ loadDataDir: template });
    await db.waitReady;
    try {
      expect((await db.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).rows).toEqual([{ n: 0 }]);
      await db.exec('CREATE TABLE t (id int); INSERT INTO t VALUES (1);');
      expect((await db.query('SELECT id FROM t')).rows).toEqual([{ id: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('is not used when another PGlite version made it, or when it is missing', () => {
    expect(installedPgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(embeddedTemplate(folderWith({ 'pglite-template.json': '{"pglite":"0.0.1"}', 'pglite-template.tar.gz': 'x' }))).toBeUndefined();
    expect(embeddedTemplate(folderWith({ 'pglite-template.json': `{"pglite":"${installedPgliteVersion()}"}` }))).toBeUndefined();
    expect(embeddedTemplate(folderWith({}))).toBeUndefined();
    expect(embeddedTemplate(folderWith({ 'pglite-template.json': `{"pglite":"${installedPgliteVersion()}"}`, 'pglite-template.tar.gz': 'x' })))
      .toBeInstanceOf(Blob);
  });
});
