import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The client's stylesheets: one global sheet, base.css (reset, tokens and the shared primitives), and CSS modules
// (*.module.css, local to the components that import them). Two global sheets that both style a class restyle each
// other's pages once both are loaded (issue 10: `.score-chip` was a 22x20 chip in calibration.css and a 9x9 swatch in
// runs.css); a feature that borrows another's module breaks when that module changes for its own pages.

const ROOT = join(import.meta.dirname, '../..');
const CLIENT = join(ROOT, 'client/src');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every selector of a stylesheet, each of a comma list apart (at-rule preludes and keyframe steps left out). */
export function selectorsOf(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/([^{};]+)\{/g)) {
    const prelude = m[1]!.trim();
    if (prelude.startsWith('@')) continue;
    out.push(...prelude.split(',').map((s) => s.trim()));
  }
  return out.filter((s) => s.includes('.'));
}

/**
 * The classes a sheet defines: the first class of a selector that is one compound (no descendant or child part),
 * e.g. `.score-chip`, `.score-chip.judge`, `.dialog:has(.compare)`. A selector scoped under another class
 * (`.rate-card .btn`) styles only inside that class's element and defines nothing.
 */
export function definedClasses(css: string): Set<string> {
  const defined = new Set<string>();
  for (const selector of selectorsOf(css)) {
    const outside = selector.replace(/\((?:[^()]|\([^()]*\))*\)/g, '()'); // combinators inside :has(...) etc. don't count
    if (/[\s>+~]/.test(outside)) continue;
    const first = /^\.(-?[_a-zA-Z][\w-]*)/.exec(selector);
    if (first) defined.add(first[1]!);
  }
  return defined;
}

/** Selectors of a sheet that name no class of the sheet's own: `kbd`, `:global(.btn) kbd` (global even in a module). */
export function unscopedSelectors(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/([^{};]+)\{/g)) {
    const prelude = m[1]!.trim();
    if (prelude.startsWith('@')) continue;
    for (const selector of prelude.split(',').map((s) => s.trim())) {
      if (/^(from|to|\d+(\.\d+)?%)$/.test(selector)) continue; // a keyframe step
      const local = selector.replace(/:global\((?:[^()]|\([^()]*\))*\)/g, '');
      if (!/\.-?[_a-zA-Z]/.test(local)) out.push(selector);
    }
  }
  return out;
}

/**
 * The feature a client file belongs to: its folder under studio/ (studio/runs, studio/judges...) or its top folder
 * (rate, auth); null for the shared folders (components, styles), whose modules every feature may import.
 */
export function featureOf(file: string): string | null {
  const parts = relative(CLIENT, file).split('/');
  if (parts[0] === 'components' || parts[0] === 'styles') return null;
  if (parts[0] === 'studio' && parts.length > 2) return `studio/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : '';
}

const camel = (name: string) => name.replace(/-+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

describe('definedClasses', () => {
  it('counts standalone compounds and skips scoped selectors', () => {
    const css = `/* .ignored {} */ .a, .b.c:hover {} .d .e {} .f > .g {} .h:has(.i .j) {} @media (x) { .k {} }`;
    expect([...definedClasses(css)].sort()).toEqual(['a', 'b', 'h', 'k']);
  });
});

describe('unscopedSelectors', () => {
  it('finds element rules and rules under global classes only', () => {
    const css = `kbd {} .a kbd {} :global(.btn) kbd {} .b:global(.active) {} @keyframes x { from {} 50% {} to {} }`;
    expect(unscopedSelectors(css)).toEqual(['kbd', ':global(.btn) kbd']);
  });
});

describe('featureOf', () => {
  it('names studio features by their folder and the rest by the top folder', () => {
    expect(featureOf(join(CLIENT, 'studio/runs/RunPage.tsx'))).toBe('studio/runs');
    expect(featureOf(join(CLIENT, 'studio/scenario/editor/preview.module.css'))).toBe('studio/scenario');
    expect(featureOf(join(CLIENT, 'rate/annotate/VerdictPanel.tsx'))).toBe('rate');
    expect(featureOf(join(CLIENT, 'components/PageFrame.module.css'))).toBeNull();
  });
});

describe('client stylesheets', () => {
  const sheets = filesUnder(CLIENT, (n) => n.endsWith('.css'));
  const globalSheets = sheets.filter((f) => !f.endsWith('.module.css'));
  const moduleSheets = sheets.filter((f) => f.endsWith('.module.css'));

  it('define each global class in one sheet only', () => {
    const definedIn = new Map<string, string[]>();
    for (const file of globalSheets)
      for (const c of definedClasses(readFileSync(file, 'utf8')))
        definedIn.set(c, [...(definedIn.get(c) ?? []), relative(ROOT, file)]);
    const twice = [...definedIn]
      .filter(([, files]) => files.length > 1)
      .map(([c, files]) => `.${c}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('leave class selectors to base.css alone among the global sheets', () => {
    const base = join(CLIENT, 'styles/base.css');
    expect(globalSheets).toContain(base);
    const classRules = globalSheets
      .filter((file) => file !== base)
      .flatMap((file) => selectorsOf(readFileSync(file, 'utf8')).map((s) => `${relative(ROOT, file)}: ${s}`));
    expect(classRules).toEqual([]);
  });

  it('scope every rule of a CSS module under a class of its own', () => {
    const unscoped = moduleSheets.flatMap((file) =>
      unscopedSelectors(readFileSync(file, 'utf8')).map((s) => `${relative(ROOT, file)}: ${s}`),
    );
    expect(unscoped).toEqual([]);
  });

  it("import no other feature's CSS module (shared ones live in components/)", () => {
    const borrowed: string[] = [];
    let imports = 0;
    for (const file of filesUnder(CLIENT, (n) => /\.tsx?$/.test(n))) {
      for (const imp of readFileSync(file, 'utf8').matchAll(/^import \w+ from '([^']+\.module\.css)';$/gm)) {
        imports++;
        const sheet = join(file, '..', imp[1]!);
        const owner = featureOf(sheet);
        if (owner !== null && owner !== featureOf(file)) borrowed.push(`${relative(ROOT, file)} imports ${imp[1]}`);
      }
    }
    expect(imports).toBeGreaterThan(0);
    expect(borrowed).toEqual([]);
  });

  it('define no global class from inside a CSS module', () => {
    const leaks = moduleSheets.flatMap((file) =>
      selectorsOf(readFileSync(file, 'utf8'))
        .filter((s) => /^:global\(/.test(s) && !/[\s>+~]/.test(s.replace(/\((?:[^()]|\([^()]*\))*\)/g, '()')))
        .map((s) => `${relative(ROOT, file)}: ${s}`),
    );
    expect(leaks).toEqual([]);
  });

  it('give every class a component reads from a module (styles.scoreChip) a rule in that module', () => {
    const exported = new Map(
      moduleSheets.map((f) => {
        const names = new Set<string>();
        for (const s of selectorsOf(readFileSync(f, 'utf8')))
          for (const m of s.replace(/:global\((?:[^()]|\([^()]*\))*\)/g, '').matchAll(/\.(-?[_a-zA-Z][\w-]*)/g))
            names.add(camel(m[1]!));
        return [f, names];
      }),
    );
    const missing: string[] = [];
    let references = 0;
    for (const file of filesUnder(CLIENT, (n) => /\.tsx?$/.test(n))) {
      const source = readFileSync(file, 'utf8');
      for (const imp of source.matchAll(/^import (\w+) from '([^']+\.module\.css)';$/gm)) {
        const [, binding, spec] = imp;
        const names = exported.get(join(file, '..', spec!));
        if (!names) {
          missing.push(`${relative(ROOT, file)}: no stylesheet ${spec}`);
          continue;
        }
        for (const use of source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) {
          references++;
          if (!names.has(use[1]!)) missing.push(`${relative(ROOT, file)}: ${binding}.${use[1]} is not in ${spec}`);
        }
      }
    }
    expect(references).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
