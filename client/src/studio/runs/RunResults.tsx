import results from '../../components/ResultPanels.module.css';
import { BehaviourShortlist, BehaviourTable } from './BehaviourResults.tsx';
import { CompareModels } from './CompareModels.tsx';
import { DeepDive } from './DeepDive.tsx';
import { FactorAnalysisPanel } from './FactorAnalysisPanel.tsx';
import { LeaderboardTable } from './LeaderboardTable.tsx';
import { OutputGrid } from './OutputGrid.tsx';
import { exportUrl, type Leaderboard } from './runs.api.ts';
import { ScoreHeatmap, type BehaviourGroup } from './ScoreHeatmap.tsx';
import type { TaxonomyNames } from './taxonomyNames.ts';
import { RESULT_SECTIONS, type ResultSections } from './useResultSections.ts';
import { VariableEffectsPanel } from './VariableEffectsPanel.tsx';
import runsStyles from './runs.module.css';
import styles from './RunPage.module.css';

interface RunResultsProps {
  runId: string;
  board: Leaderboard;
  groups: BehaviourGroup[];
  taxonomy: TaxonomyNames;
  /** The judge version and dimension chosen (null: the server's default), for the requests of the panels below. */
  chosenJudge: string | null;
  dimension: string | null;
  nav: ResultSections;
}

/** A run's results, section by section: a click on a model, behaviour or cell opens its transcripts at the end. */
export function RunResults({ runId, board: b, groups, taxonomy, chosenJudge, dimension, nav }: RunResultsProps) {
  const models = b.models.map((m) => m.model);
  const pickBehaviour = (beh: string) => nav.pickCell(undefined, beh);
  return (
    <>
      <nav className={styles.sectionNav} aria-label="Results">
        {RESULT_SECTIONS.map(([key, label]) => (
          <button key={key} type="button" className={styles.sectionLink} onClick={() => nav.scrollTo(key)}>
            {label}
          </button>
        ))}
      </nav>

      <section className={results.panel} aria-labelledby="lb-title" ref={nav.refOf('leaderboard')}>
        <h2 id="lb-title">Leaderboard</h2>
        <LeaderboardTable
          models={b.models}
          behaviourName={taxonomy.behaviourName}
          onPickModel={(m) => nav.pickCell(m, undefined)}
        />
      </section>

      <section className={results.panel} aria-labelledby="heatmap-title" ref={nav.refOf('heatmap')}>
        <h2 id="heatmap-title">Model × behaviour</h2>
        <p className={`muted ${runsStyles.runPanelNote}`}>
          Mean score of each model on each behaviour, behaviours grouped by category. Hover a cell for its value; click
          it for its transcripts.
        </p>
        <ScoreHeatmap
          models={models}
          groups={groups}
          matrix={b.matrix}
          behaviours={b.behaviours}
          dimension={b.dimension.primary ? null : b.dimension}
          onPick={(m, beh) => nav.pickCell(m, beh)}
        />
      </section>

      <BehaviourSections board={b} taxonomy={taxonomy} nav={nav} onPick={pickBehaviour} />

      <div ref={nav.refOf('compare')}>
        {b.models.length >= 2 ? (
          <CompareModels
            runId={runId}
            judgeVersionId={chosenJudge}
            dimension={dimension}
            models={models}
            behaviourName={taxonomy.behaviourName}
          />
        ) : (
          <section className={results.panel}>
            <h2>Compare two models</h2>
            <p className="muted">Needs two models with judged transcripts.</p>
          </section>
        )}
      </div>

      <VariableEffectsPanel
        effects={b.variables ?? []}
        csvUrl={exportUrl(runId, 'variables.csv', chosenJudge, dimension)}
      />

      <div ref={nav.refOf('factors')}>
        <FactorAnalysisPanel
          factors={b.factors}
          behaviourName={taxonomy.behaviourName}
          totalBehaviours={b.behaviours.length}
        />
      </div>

      <OutputGrid
        runId={runId}
        judgeVersionId={chosenJudge}
        behavior={nav.dive.behavior}
        behaviourName={taxonomy.behaviourName}
        onOpen={nav.openTranscript}
      />

      <div ref={nav.refOf('transcripts')}>
        <DeepDive
          runId={runId}
          judgeVersionId={chosenJudge}
          models={models}
          groups={groups}
          state={nav.dive}
          onChange={nav.setDive}
          behaviourName={taxonomy.behaviourName}
        />
      </div>
    </>
  );
}

/** The hardest and the most discriminating behaviours side by side, then every behaviour. */
function BehaviourSections({
  board: b,
  taxonomy,
  nav,
  onPick,
}: {
  board: Leaderboard;
  taxonomy: TaxonomyNames;
  nav: ResultSections;
  onPick(behaviour: string): void;
}) {
  return (
    <>
      <div className={runsStyles.runGrid} ref={nav.refOf('behaviours')}>
        <BehaviourShortlist
          title="Hardest behaviours"
          note="Lowest mean over models."
          ids={b.hardest}
          board={b}
          names={taxonomy}
          testId="hardest"
          onPick={onPick}
        />
        <BehaviourShortlist
          title="Most discriminating"
          note="Widest spread between the best and the worst model."
          ids={b.mostDiscriminating}
          board={b}
          names={taxonomy}
          testId="discriminating"
          onPick={onPick}
        />
      </div>

      <section className={results.panel} aria-labelledby="behaviours-title">
        <h2 id="behaviours-title">Every behaviour</h2>
        <BehaviourTable board={b} names={taxonomy} onPick={onPick} />
      </section>
    </>
  );
}
