import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioChangeEvent } from '../../schema/api/scenarios.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { Db } from '../db/database.ts';
import { loadTaxonomy, TAXONOMY_FILE } from '../taxonomy/taxonomy.load.ts';
import { ScenarioFolderWatcher } from './scenario-folder.watcher.ts';
import { indexCorpus, indexScenarioFile, type IndexOptions, type IndexReport } from './scenario.indexer.ts';

/**
 * The scenario folder and its index, kept in step: every write and every change seen on disk
 * (git checkout, another editor) re-indexes the file and is announced to listeners (the studio's
 * live event stream).
 */
export class ScenarioCorpus {
  readonly events = new EventEmitter<{ change: [ScenarioChangeEvent]; taxonomy: [] }>();
  private watcher: ScenarioFolderWatcher | null = null;
  private pending = new Map<string, NodeJS.Timeout>();
  #taxonomy: Taxonomy;
  #reconciliation: Promise<IndexReport> | null = null;

  constructor(
    readonly db: Db,
    readonly root: string,
  ) {
    this.#taxonomy = loadTaxonomy(root);
    this.events.setMaxListeners(0);
  }

  get taxonomy(): Taxonomy {
    return this.#taxonomy;
  }

  /** Indexes every changed file; run at start. */
  indexAll(opts: IndexOptions = {}): Promise<IndexReport> {
    return indexCorpus(this.db, this.root, this.#taxonomy, opts);
  }

  /** Whether the index holds any scenario (it does after any start but the very first). */
  async hasIndex(): Promise<boolean> {
    return (await this.db.selectFrom('scenario').select('rel_path').limit(1).executeTakeFirst()) !== undefined;
  }

  /**
   * Brings the index in line with the files while the server serves (a warm start, issue 20 point
   * 7): until it is done, the index may still hold files changed or removed while the server was
   * down. Requests that read the index wait for it (scenario-index.gate.ts), except a list page,
   * which stats the files of its own rows (rowsAreCurrent) and waits only when one changed.
   */
  reconcileWhileServing(): Promise<IndexReport> {
    const reconciliation = this.indexAll({ yieldToRequests: true }).then((report) => {
      // Pages served meanwhile may lack files added while the server was down: the studio's lists
      // refresh on this event, as after a taxonomy change (the whole index re-checked).
      if (report.indexed > 0 || report.removed > 0) this.events.emit('taxonomy');
      return report;
    });
    this.#reconciliation = reconciliation;
    const done = () => {
      if (this.#reconciliation === reconciliation) this.#reconciliation = null;
    };
    reconciliation.then(done, done);
    return reconciliation;
  }

  /** A reconciliation started by reconcileWhileServing is under way. */
  get reconciling(): boolean {
    return this.#reconciliation !== null;
  }

  /** Resolves once no reconciliation is under way (the server stops if one fails: see main.ts). */
  async reconciled(): Promise<void> {
    await this.#reconciliation?.catch(() => undefined);
  }

  /** Whether each of these index rows still describes its file: present, with the size and mtime the row holds. */
  async rowsAreCurrent(relPaths: string[]): Promise<boolean> {
    if (relPaths.length === 0) return true;
    const rows = await this.db
      .selectFrom('scenario')
      .select(['rel_path', 'mtime_ms', 'size_bytes'])
      .where('rel_path', 'in', relPaths)
      .execute();
    if (rows.length !== new Set(relPaths).size) return false; // a row went while the page was read
    return rows.every((row) => {
      const stat = statSync(join(this.root, row.rel_path), { throwIfNoEntry: false });
      return stat !== undefined && stat.mtimeMs === row.mtime_ms && stat.size === row.size_bytes;
    });
  }

  /** Re-indexes one file and announces it. Idempotent: a watcher echo of our own save is harmless. */
  async reindexFile(absPath: string): Promise<ScenarioChangeEvent> {
    const event = await indexScenarioFile(this.db, this.root, this.#taxonomy, absPath);
    this.events.emit('change', event);
    return event;
  }

  /** A changed taxonomy can turn valid scenarios invalid (and back): re-check them all. */
  async reloadTaxonomy(): Promise<void> {
    try {
      this.#taxonomy = loadTaxonomy(this.root);
    } catch (e) {
      console.error(`taxonomy not reloaded, keeping the previous one: ${(e as Error).message}`);
      return;
    }
    await this.indexAll({ force: true });
    this.events.emit('taxonomy');
  }

  /** Watches the folder; changes are debounced per file so an editor's burst of writes indexes once. */
  startWatching(): void {
    const onPath = (absPath: string) => {
      const rel = absPath.slice(this.root.length + 1);
      const isTaxonomy = rel === TAXONOMY_FILE;
      if (!absPath.endsWith('.yaml')) return; // a folder, an editor's swap file
      clearTimeout(this.pending.get(absPath));
      this.pending.set(
        absPath,
        setTimeout(() => {
          this.pending.delete(absPath);
          const work = isTaxonomy ? this.reloadTaxonomy() : this.reindexFile(absPath).then(() => undefined);
          work.catch((e: unknown) => console.error(`re-indexing ${absPath} failed: ${String(e)}`));
        }, 60),
      );
    };
    this.watcher = new ScenarioFolderWatcher(this.root, onPath);
  }

  /** Resolves once changes on disk are being seen (at once: one watch per folder, set up synchronously). */
  watching(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    for (const t of this.pending.values()) clearTimeout(t);
    this.watcher?.close();
  }
}
