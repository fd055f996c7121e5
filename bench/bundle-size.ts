// The JavaScript a browser must load before a page is interactive, gzipped, from the production
// build's manifest: the entry chunk and its static imports, transitively. Lazy chunks (the
// Monaco editor) are listed apart. Targets: the studio without the editor <= 250 KB gzipped
// (issue 2); the rater app <= 150 KB gzipped (issue 5).
// Run after `npm run build`: npx tsx bench/bundle-size.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { recordFigure } from './support.ts';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dist = join(process.cwd(), 'dist/client');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Every chunk loaded up front from `key`: itself and its static imports, transitively. */
export function initialChunks(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) initialChunks(dep, seen);
  return seen;
}

const TARGET_KB: Record<string, number> = { 'index.html': 250, 'rate.html': 150 };
const APP_NAME: Record<string, string> = { 'index.html': 'studio', 'rate.html': 'rater app' };
for (const key of Object.keys(TARGET_KB)) {
  if (!manifest[key]?.isEntry) {
    recordFigure(`${APP_NAME[key]} (${key}) initial JS, gzipped: entry missing from the build`, NaN, {
      atMost: TARGET_KB[key]!,
      unit: 'KB',
    });
    continue;
  }
  const initial = initialChunks(key);
  const js = [...initial].map((k) => manifest[k]!.file);
  const total = js.reduce((n, f) => n + gz(f), 0);
  recordFigure(`${APP_NAME[key]} (${key}) initial JS, gzipped`, total / 1024, {
    atMost: TARGET_KB[key]!,
    unit: 'KB',
  });
  console.log(`  in ${js.length} chunk(s):`);
  for (const f of js) console.log(`  ${f.padEnd(50)} ${kb(gz(f))}`);
  const lazy = new Set<string>();
  const walk = (k: string) => {
    for (const d of manifest[k]?.dynamicImports ?? []) {
      if (lazy.has(d) || initial.has(d)) continue;
      lazy.add(d);
      for (const dep of initialChunks(d)) if (!initial.has(dep)) lazy.add(dep);
      walk(d);
    }
  };
  for (const k of initial) walk(k);
  const lazyTotal = [...lazy].reduce((n, k) => n + gz(manifest[k]!.file), 0);
  console.log(`  loaded on demand (editor and other lazy pages): ${kb(lazyTotal)} gzipped in ${lazy.size} chunk(s)`);
}
