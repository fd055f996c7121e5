// Autosaved drafts: the editor's unsaved text per scenario, with the version it was based on,
// kept in localStorage so a crash, a closed tab or a reload loses nothing.

export interface Draft {
  text: string;
  baseHash: string;
  savedAt: number;
}

const key = (id: string) => `crucible:draft:${id}`;

export function readDraft(id: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(id));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    return typeof d.text === 'string' && typeof d.baseHash === 'string' && typeof d.savedAt === 'number'
      ? { text: d.text, baseHash: d.baseHash, savedAt: d.savedAt }
      : null;
  } catch {
    return null;
  }
}

export function writeDraft(id: string, draft: Draft): void {
  try {
    localStorage.setItem(key(id), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the beforeunload prompt still guards the text.
  }
}

export function removeDraft(id: string): void {
  try {
    localStorage.removeItem(key(id));
  } catch {
    // nothing to do
  }
}
