import { watch, type FSWatcher } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Watches the scenarios folder for changes made outside Crucible (git checkout, another editor).
//
// One inotify watch per folder, not per file: the corpus is root/<category>/<id>.yaml, so the
// root and each category folder are all there is to watch. A watcher that visits every file
// first (chokidar does, to learn their sizes) took 30 s to be ready at 100,000 files, and the
// server waited for it before listening (issue 20 point 7: a warm start within 1 s). Nothing
// here reads a file: a change is reported by path, and the index re-reads and compares it.

/** Reports `<root>/<name>` and `<root>/<folder>/<name>` changes, for names not starting with a dot. */
export class ScenarioFolderWatcher {
  private watchers = new Map<string, FSWatcher>();
  private closed = false;

  constructor(
    private readonly root: string,
    /** A path that may have been added, changed or removed (a file or a category folder). */
    private readonly onPath: (absPath: string) => void,
  ) {
    this.watchFolder(root, true);
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) this.watchFolder(join(root, entry.name), false);
    }
  }

  private watchFolder(dir: string, isRoot: boolean): void {
    if (this.closed || this.watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (!name || name.startsWith('.')) return;
        const path = join(dir, name.toString());
        if (isRoot && isFolder(path)) {
          // A new category folder (a checkout, a copy): watch it, and report what it already holds,
          // which may have been written before the watch began.
          this.watchFolder(path, false);
          for (const file of safeList(path)) this.onPath(join(path, file));
          return;
        }
        this.onPath(path);
      });
    } catch {
      return; // the folder went away between listing and watching
    }
    watcher.on('error', () => {
      // A removed category folder: its files were reported as they went; forget the watch.
      watcher.close();
      this.watchers.delete(dir);
    });
    this.watchers.set(dir, watcher);
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => !name.startsWith('.'));
  } catch {
    return [];
  }
}
