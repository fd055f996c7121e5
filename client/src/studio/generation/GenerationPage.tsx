import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { modelsQuery } from '../dryrun/dryrun.api.ts';
import { JobProgress } from '../jobs/JobProgress.tsx';
import { CoveragePanel } from './CoveragePanel.tsx';
import { generationKeys } from '../../api/queryKeys.ts';
import { fetchGenerationJobs, startGenerationJob } from './generation.api.ts';
import { parseDimensions } from './dimensions.ts';
import { GenerationScreenFields, SCREEN_DEFAULTS, screensComplete } from './GenerationScreenFields.tsx';
import frame from '../../components/PageFrame.module.css';
import styles from './generation.module.css';
import results from '../../components/ResultPanels.module.css';

/** /studio/generation: where the corpus is thin (coverage), a job for the chosen gaps, and the jobs so far. */
export function GenerationPage() {
  useDocumentTitle('Generation');
  const queryClient = useQueryClient();
  const models = useQuery(modelsQuery());
  const jobs = useQuery({
    queryKey: generationKeys.jobs,
    queryFn: fetchGenerationJobs,
    refetchInterval: (q) =>
      q.state.data?.some((j) => j.job.status === 'queued' || j.job.status === 'running') ? 1000 : 30_000,
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [count, setCount] = useState(10);
  const [generator, setGenerator] = useState('');
  const [dryRunModel, setDryRunModel] = useState('');
  const [dimensions, setDimensions] = useState('');
  const [screens, setScreens] = useState(SCREEN_DEFAULTS);
  const ready = (models.data?.models ?? []).filter((m) => m.ready);
  const generatorId = generator || ready[0]?.id || '';
  const dims = parseDimensions(dimensions);

  const startJob = useMutation({
    mutationFn: async () => {
      if (!dims.ok) throw new Error(dims.message);
      return startGenerationJob({
        behaviors: chosen,
        count,
        generatorModel: generatorId,
        dryRunModel: dryRunModel || null,
        dimensions: dims.dimensions,
        screenModel: screens.screenModel || null,
        duplicateThreshold: screens.duplicateThreshold,
        realismThreshold: screens.realismThreshold,
        concurrency: screens.concurrency,
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: generationKeys.jobs }),
  });
  const { isPending: busy, error } = startJob;
  const start = () => startJob.mutate();

  return (
    <main className={styles.generationPage} data-testid="generation-page">
      <header className={frame.header}>
        <div>
          <h1>Generation</h1>
          <p className="muted">
            A model proposes scenario candidates for the behaviours you choose; each is checked, compared with the
            corpus for near-duplicates, dry-run and screened, then waits for a person in the{' '}
            <Link href="/studio/generation/review">review queue</Link>.
          </p>
        </div>
        <Link href="/studio/generation/review" className="btn" data-testid="open-review-queue">
          Review queue
        </Link>
      </header>
      <CoveragePanel chosen={chosen} onChange={setChosen} />
      <section className={styles.generationForm} aria-label="New generation job">
        <h2>New job</h2>
        <p data-testid="chosen-behaviours">
          {chosen.length === 0 ? 'Choose behaviours in the table above.' : `For: ${chosen.join(', ')}`}
        </p>
        <label>
          Candidates{' '}
          <input
            type="number"
            min={1}
            max={1000}
            value={count}
            data-testid="generation-count"
            onChange={(e) => setCount(Number(e.target.value))}
          />
        </label>
        <label>
          Generator model{' '}
          <select value={generatorId} data-testid="generation-model" onChange={(e) => setGenerator(e.target.value)}>
            {ready.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Dry-run against{' '}
          <select
            value={dryRunModel}
            data-testid="generation-dryrun-model"
            onChange={(e) => setDryRunModel(e.target.value)}
          >
            <option value="">no dry-run</option>
            {ready.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.generationDimensions}>
          Variation dimensions (one a line: <code>name = value, value</code>)
          <textarea
            rows={3}
            value={dimensions}
            data-testid="generation-dimensions"
            placeholder={'stakes = low, high\nsource of pressure = operator, user'}
            onChange={(e) => setDimensions(e.target.value)}
          />
        </label>
        <GenerationScreenFields
          value={screens}
          models={ready.map((m) => m.id)}
          generatorId={generatorId}
          onChange={setScreens}
        />
        {!dims.ok && <p className="form-error">{dims.message}</p>}
        <button
          type="button"
          className="btn btn-primary"
          data-testid="start-generation"
          disabled={busy || chosen.length === 0 || !generatorId || !dims.ok || !screensComplete(screens)}
          onClick={() => void start()}
        >
          Generate {count} candidates
        </button>
        <ErrorMessage error={error} />
      </section>
      <section aria-label="Generation jobs">
        <h2>Jobs</h2>
        <ErrorMessage error={jobs.error} />
        <table className={results.table} data-testid="generation-jobs">
          <thead>
            <tr>
              <th>Started</th>
              <th>Behaviours</th>
              <th>Progress</th>
              <th className="num">In review</th>
              <th className="num">Accepted</th>
              <th className="num">Screened out</th>
              <th className="num">Dropped</th>
              <th className="num">Tokens</th>
              <th className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {(jobs.data ?? []).map((j) => (
              <tr key={j.job.id} data-testid="generation-job" data-status={j.job.status}>
                <td>{new Date(j.job.createdAt).toLocaleString()}</td>
                <td>{j.settings.behaviors.join(', ')}</td>
                <td>
                  <JobProgress job={j.job} label={`${j.settings.count} candidates`} />
                </td>
                <td className="num">{j.counts.review}</td>
                <td className="num">{j.counts.accepted}</td>
                <td className="num">{j.counts['screened-out']}</td>
                <td className="num">{j.counts.dropped}</td>
                <td className="num">{(j.inputTokens + j.outputTokens).toLocaleString('en')}</td>
                <td className="num">{j.costUsd === null ? '—' : `$${j.costUsd.toFixed(4)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
