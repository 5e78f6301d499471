import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianTool } from './debian-tool.js';

/** The EPC pain.001.001.09 schema (test/fixtures/iso20022/README.md). */
export const pain001Schema = join(__dirname, '../fixtures/iso20022/pain.001.001.09.xsd');

/** What `xmllint --schema` says is wrong with a pain.001 document: [] when it validates. */
export function pain001SchemaErrors(xml: string): string[] {
  ensureDebianTool('xmllint', 'libxml2-utils', ['--version']);
  const dir = mkdtempSync(join(tmpdir(), 'kontor-pain001-'));
  try {
    const path = join(dir, 'pain001.xml');
    writeFileSync(path, xml);
    const result = spawnSync('xmllint', ['--noout', '--schema', pain001Schema, path], {
      encoding: 'utf8',
    });
    const errors = result.stderr.split('\n').filter((line) => line && !line.endsWith(' validates'));
    return result.status === 0 ? errors : errors.length > 0 ? errors : ['xmllint failed'];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
