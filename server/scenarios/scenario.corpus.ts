import { EventEmitter } from 'node:events';
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
