/**
 * The architecture rules of .dependency-cruiser.js hold for src/, and they do catch a breach
 * (a pure domain reaching NestJS, a module or the CLI reaching into another's internals,
 * infrastructure importing a module).
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
  it('src/ keeps them: pure domains and index.ts, modules through their surfaces, no cycles', () => {
    const result = cruise(root);
    expect(result.output).not.toMatch(/error/);
    expect(result.status).toBe(0);
  }, 120_000);

  it('reports a domain that reaches NestJS through another file, a module or the CLI reaching into a module, and infrastructure importing a module', () => {
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
      const write = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      // The domain imports no NestJS itself, only through an application file: still a breach.
      write('src/ledger/application/wiring.ts', "export { Injectable } from '@nestjs/common';\n");
      write(
        'src/ledger/domain/book.decider.ts',
        "import { Injectable } from '../application/wiring.js';\nexport const x = Injectable;\n",
      );
      write('src/ledger/index.ts', "export { x } from './domain/book.decider.js';\n");
      write(
        'src/approvals/application/gate.ts',
        "import { x } from '../../ledger/domain/book.decider.js';\nexport const y = x;\n",
      );
      write(
        'src/infrastructure/store.ts',
        "import { x } from '../ledger/index.js';\nexport const z = x;\n",
      );
      write(
        'src/cli.ts',
        "import { x } from './ledger/domain/book.decider.js';\nexport const c = x;\n",
      );
      const result = cruise(dir);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/pure-domain: src\/ledger\/domain\/book\.decider\.ts/);
      expect(result.output).toMatch(/pure-domain: src\/ledger\/index\.ts/);
      expect(result.output).toMatch(/modules-through-index: src\/approvals\/application\/gate\.ts/);
      expect(result.output).toMatch(/infrastructure-below-modules: src\/infrastructure\/store\.ts/);
      expect(result.output).toMatch(/outside-through-index: src\/cli\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
