/**
 * The architecture rules of .dependency-cruiser.js hold for src/, and they do catch a breach
 * (a pure domain importing NestJS, a module reaching into another's internals).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

function cruise(cwd: string): { status: number; output: string } {
  try {
    const output = execFileSync(
      depcruise,
      ['src', '--config', '.dependency-cruiser.js', '--output-type', 'err'],
      { cwd, encoding: 'utf8' },
    );
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('architecture rules (dependency-cruiser)', () => {
  it('src/ keeps them: pure domains, modules through index.ts, no cycles', () => {
    const result = cruise(root);
    expect(result.output).not.toMatch(/error/);
    expect(result.status).toBe(0);
  }, 120_000);

  it('reports a domain that imports NestJS and a module that reaches into another one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontor-arch-'));
    try {
      cpSync(join(root, '.dependency-cruiser.js'), join(dir, '.dependency-cruiser.js'));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module: 'node20', moduleResolution: 'nodenext' } }),
      );
      mkdirSync(join(dir, 'node_modules', '@nestjs', 'common'), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', '@nestjs', 'common', 'package.json'),
        JSON.stringify({ name: '@nestjs/common', main: 'index.js' }),
      );
      writeFileSync(
        join(dir, 'node_modules', '@nestjs', 'common', 'index.js'),
        'exports.Injectable = () => () => undefined;\n',
      );
      mkdirSync(join(dir, 'src', 'ledger', 'domain'), { recursive: true });
      mkdirSync(join(dir, 'src', 'approvals', 'application'), { recursive: true });
      writeFileSync(
        join(dir, 'src', 'ledger', 'domain', 'book.decider.ts'),
        "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      );
      writeFileSync(
        join(dir, 'src', 'approvals', 'application', 'gate.ts'),
        "import { x } from '../../ledger/domain/book.decider.js';\nexport const y = x;\n",
      );
      const result = cruise(dir);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/pure-domain: src\/ledger\/domain\/book\.decider\.ts/);
      expect(result.output).toMatch(/modules-through-index: src\/approvals\/application\/gate\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
