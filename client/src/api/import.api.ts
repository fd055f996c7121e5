import type { ImportRequest } from '../../../schema/api/import.ts';
import { api, readJson } from './client.ts';

/** What importing these files would write, item by item; writes nothing. */
export async function previewImport(request: ImportRequest) {
  return readJson(await api.import.preview.$post({ json: request }));
}

/** Imports the chosen items of these files: all of them or nothing. */
export async function applyImport(request: ImportRequest) {
  return readJson(await api.import.apply.$post({ json: request }));
}
