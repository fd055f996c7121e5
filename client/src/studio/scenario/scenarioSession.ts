import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import type { Draft } from './drafts.ts';

// The state of one open scenario: the text in the editor, the version on disk it is based on,
// and what the user must decide about (a conflict, a change on disk, a draft to restore).

export interface DiskVersion {
  content: string;
  hash: string;
}

export interface SessionState {
  /** The editor's text. */
  text: string;
  /** The text of the version the next save is based on (what was loaded or last saved). */
  baseText: string;
  baseHash: string;
  relPath: string;
  saving: boolean;
  lastSavedAt: number | null;
  /** The last save or action failure, shown above the editor. */
  error: { message: string; issues: Diagnostic[] } | null;
  /** A save was refused (409), or the user asked to compare: theirs (on disk, null if gone) vs the editor's text. */
  conflict: { theirs: DiskVersion | null; cause: 'save' | 'compare' } | null;
  /** The file changed on disk (another tab, git, another editor) since it was loaded. */
  diskChange: { theirs: DiskVersion | null } | null;
  /** An autosaved draft found when the page opened, waiting for restore or discard. */
  draftOffer: Draft | null;
}

export type SessionAction =
  | { type: 'loaded'; content: string; hash: string; relPath: string; draft: Draft | null }
  | { type: 'edited'; text: string }
  | { type: 'saveStarted' }
  | { type: 'saved'; sentText: string; hash: string; relPath: string }
  | { type: 'failed'; message: string; issues?: Diagnostic[] }
  | { type: 'conflict'; theirs: DiskVersion | null; cause: 'save' | 'compare' }
  | { type: 'keepMine'; theirs: DiskVersion }
  | { type: 'loadTheirs'; theirs: DiskVersion }
  | { type: 'closeConflict' }
  | { type: 'diskChanged'; theirs: DiskVersion | null }
  | { type: 'diskInSync' }
  | { type: 'restoreDraft' }
  | { type: 'discardDraft' }
  | { type: 'dismissError' };

export function initialSession(): SessionState {
  return {
    text: '',
    baseText: '',
    baseHash: '',
    relPath: '',
    saving: false,
    lastSavedAt: null,
    error: null,
    conflict: null,
    diskChange: null,
    draftOffer: null,
  };
}

export const isDirty = (s: SessionState) => s.text !== s.baseText;

export function sessionReducer(s: SessionState, a: SessionAction): SessionState {
  switch (a.type) {
    case 'loaded':
      return {
        ...initialSession(),
        text: a.content,
        baseText: a.content,
        baseHash: a.hash,
        relPath: a.relPath,
        draftOffer: a.draft && a.draft.text !== a.content ? a.draft : null,
      };
    case 'edited':
      if (a.text === s.text) return s;
      // A refused save's issues describe the text as it was; from now on the live check speaks.
      return { ...s, text: a.text, error: s.error && s.error.issues.length > 0 ? { ...s.error, issues: [] } : s.error };
    case 'saveStarted':
      return { ...s, saving: true };
    case 'saved':
      return {
        ...s,
        saving: false,
        baseText: a.sentText,
        baseHash: a.hash,
        relPath: a.relPath,
        lastSavedAt: Date.now(),
        error: null,
        conflict: null,
        diskChange: null,
      };
    case 'failed':
      return { ...s, saving: false, error: { message: a.message, issues: a.issues ?? [] } };
    case 'conflict':
      return { ...s, saving: false, conflict: { theirs: a.theirs, cause: a.cause } };
    case 'keepMine':
      // The editor keeps the user's text; the next save replaces their version knowingly.
      return {
        ...s,
        baseText: a.theirs.content,
        baseHash: a.theirs.hash,
        conflict: null,
        diskChange: null,
        error: null,
      };
    case 'loadTheirs':
      return {
        ...s,
        text: a.theirs.content,
        baseText: a.theirs.content,
        baseHash: a.theirs.hash,
        conflict: null,
        diskChange: null,
        error: null,
      };
    case 'closeConflict':
      return { ...s, conflict: null };
    case 'diskChanged':
      return { ...s, diskChange: { theirs: a.theirs } };
    case 'diskInSync':
      return s.diskChange ? { ...s, diskChange: null } : s;
    case 'restoreDraft': {
      const d = s.draftOffer;
      if (!d) return s;
      // Based on an older version? Keep that base: saving then shows both versions instead of overwriting.
      return d.baseHash === s.baseHash
        ? { ...s, text: d.text, draftOffer: null }
        : { ...s, text: d.text, baseHash: d.baseHash, draftOffer: null };
    }
    case 'discardDraft':
      return { ...s, draftOffer: null };
    case 'dismissError':
      return { ...s, error: null };
  }
}
