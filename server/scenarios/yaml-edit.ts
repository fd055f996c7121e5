import { isMap, isScalar } from 'yaml';
import { parseYaml } from '../yaml/yaml-limits.ts';

/**
 * Sets top-level scalar fields by editing only their value's characters, so the author's
 * comments, folded text and layout survive (re-serialising the document would reflow them).
 * A missing field is inserted after `after` (or appended).
 */
export function setTopLevelScalars(text: string, fields: Record<string, string>, after = 'id'): string {
  let out = text;
  for (const [key, value] of Object.entries(fields)) {
    const { doc } = parseYaml(out);
    if (!isMap(doc.contents)) throw new Error('a scenario file must be a YAML mapping');
    const rendered = renderScalar(value);
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [start, end] = pair.value.range;
      out = out.slice(0, start) + rendered + out.slice(end);
      continue;
    }
    const anchor = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === after);
    const anchorEnd = anchor && isScalar(anchor.value) && anchor.value.range ? anchor.value.range[2] : null;
    if (anchorEnd !== null) {
      const lineEnd = out.indexOf('\n', anchorEnd - 1);
      const at = lineEnd === -1 ? out.length : lineEnd + 1;
      out = `${out.slice(0, at)}${key}: ${rendered}\n${out.slice(at)}`;
    } else {
      out = `${out}${out.endsWith('\n') ? '' : '\n'}${key}: ${rendered}\n`;
    }
  }
  return out;
}

// Plain when YAML would read it back as the same string, else a JSON (double-quoted) string.
function renderScalar(value: string): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9 ,.()'_/-]*$/.test(value) && !/[:#]/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d)/i.test(value);
  return plain && value.trim() === value ? value : JSON.stringify(value);
}
