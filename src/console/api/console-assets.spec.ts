import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleAssetBytesMax, consoleAssetsDir, loadConsoleAssets } from './console-assets.js';

describe('console assets', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kontor-console-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('serves the files beside the code: the page, its scripts and styles, by relative path', () => {
    const assets = loadConsoleAssets(consoleAssetsDir());
    expect([...assets.keys()]).toEqual(
      expect.arrayContaining(['index.html', 'app.js', 'console.css', 'views/inbox.js']),
    );
    expect(assets.get('app.js')?.contentType).toBe('text/javascript; charset=utf-8');
  });

  it('finds the assets under the package root when run from dist/ (tsc copies none)', () => {
    mkdirSync(join(root, 'src', 'console', 'api', 'assets'), { recursive: true });
    const fromDist = join(root, 'dist', 'src', 'console', 'api');
    mkdirSync(fromDist, { recursive: true });
    expect(consoleAssetsDir(fromDist)).toBe(join(root, 'src', 'console', 'api', 'assets'));
  });

  it('says where it looked when the assets are missing', () => {
    expect(() => consoleAssetsDir(root)).toThrow(/console's assets are missing/);
  });

  it('leaves out files of other kinds and refuses one over the size limit', () => {
    writeFileSync(join(root, 'notes.txt'), 'not served');
    writeFileSync(join(root, 'page.html'), '<!doctype html>');
    expect([...loadConsoleAssets(root).keys()]).toEqual(['page.html']);
    writeFileSync(join(root, 'big.js'), Buffer.alloc(consoleAssetBytesMax + 1));
    expect(() => loadConsoleAssets(root)).toThrow(/big\.js is \d+ bytes/);
  });
});
