import { existsSync, readFileSync } from 'node:fs';
import { ModelsFileSchema, type ModelsFile } from '../../schema/models.ts';
import { loadYamlFile } from '../yaml/yaml-limits.ts';

/** The configured models and a way to read provider keys, which never leave the server. */
export interface ModelsConfig {
  file: ModelsFile;
  /** Where the config was read from (null: no file, no models). */
  path: string | null;
  /** The value of a key variable: the environment first, then the local secrets file. */
  secret(name: string): string | undefined;
  /** The values of every configured key, for redaction. */
  secretValues(): string[];
}

/**
 * Reads the models file (YAML) and the local secrets file (`NAME=value` lines, never committed).
 * A missing models file means no models, which the studio explains; a broken one is an error
 * naming the file and the field.
 */
export function loadModelsConfig(
  path: string,
  secretsPath: string,
  env: NodeJS.ProcessEnv = process.env,
): ModelsConfig {
  const secrets = existsSync(secretsPath) ? parseSecrets(readFileSync(secretsPath, 'utf8')) : new Map<string, string>();
  const secret = (name: string) => env[name] || secrets.get(name) || undefined;
  const valuesOf = (file: ModelsFile) => () =>
    file.providers
      .flatMap((p) => (p.api_key_env ? [secret(p.api_key_env)] : []))
      .filter((v): v is string => Boolean(v));
  if (!existsSync(path)) {
    const empty = ModelsFileSchema.parse({});
    return { file: empty, path: null, secret, secretValues: valuesOf(empty) };
  }
  const raw = loadYamlFile(readFileSync(path, 'utf8'), path);
  const parsed = ModelsFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return { file: parsed.data, path, secret, secretValues: valuesOf(parsed.data) };
}

function parseSecrets(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}
