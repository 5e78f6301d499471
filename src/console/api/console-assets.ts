import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/** One file of the console, held in memory from boot (the whole console is a few dozen kB). */
export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

/** The console's files stay small; a bigger one is a mistake (a build output, a data file). */
export const consoleAssetBytesMax = 256 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The hand-written assets live beside this file in src/ (they need no build). From dist/ (after
 * `tsc`, which copies no assets) the same folder is found under the package root.
 */
export function consoleAssetsDir(from: string = __dirname): string {
  const beside = join(from, 'assets');
  if (isDir(beside)) return beside;
  let dir = from;
  while (dirname(dir) !== dir) {
    const candidate = join(dir, 'src', 'console', 'api', 'assets');
    if (isDir(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    `the console's assets are missing (looked for ${beside} and src/console/api/assets above it)`,
  );
}

/** Every servable file of the folder, by its path relative to it (`app.js`, `views/inbox.js`). */
export function loadConsoleAssets(dir: string = consoleAssetsDir()): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const relative = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      const contentType = contentTypes[extname(entry.name)];
      if (!entry.isFile() || !contentType) continue;
      const body = readFileSync(join(dir, relative));
      if (body.length > consoleAssetBytesMax)
        throw new Error(
          `console asset ${relative} is ${body.length} bytes (max ${consoleAssetBytesMax})`,
        );
      assets.set(relative, { body, contentType });
    }
  };
  walk('');
  return assets;
}

/**
 * The chart library (d3-scale, d3-shape and what they need), in load order: each package's own
 * UMD build from node_modules, served as `vendor/<package>.js` and loaded by classic `<script
 * defer>` tags before the console's modules (their ES builds import bare package names, which a
 * browser cannot resolve without an inline import map the CSP forbids). Kept current by npm.
 */
export const vendorPackages = [
  'internmap',
  'd3-array',
  'd3-color',
  'd3-interpolate',
  'd3-format',
  'd3-time',
  'd3-time-format',
  'd3-scale',
  'd3-path',
  'd3-shape',
] as const;

export function loadVendorScripts(): Map<string, ConsoleAsset> {
  const scripts = new Map<string, ConsoleAsset>();
  for (const name of vendorPackages) {
    // Their exports map hides package.json: the package root is found from the entry point.
    const entry = require.resolve(name);
    const root = entry.slice(
      0,
      entry.lastIndexOf(join('node_modules', name)) + `node_modules/${name}`.length,
    );
    const file = join(root, 'dist', `${name}.min.js`);
    scripts.set(`vendor/${name}.js`, {
      body: readFileSync(file),
      contentType: contentTypes['.js']!,
    });
  }
  return scripts;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
