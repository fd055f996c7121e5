import type { JudgeVersion } from '../../../../schema/judge.ts';
import { lineDiff } from './lineDiff.ts';
import styles from './judges.module.css';

/**
 * A judge version's prompt, read-only, and what changed from the version it was made from: lines
 * added and removed, and the few-shot examples and pass threshold when they differ.
 */
export function JudgePromptView({ version, parent }: { version: JudgeVersion; parent: JudgeVersion | undefined }) {
  const s = version.settings;
  const diff = parent ? lineDiff(parent.settings.promptTemplate, s.promptTemplate) : null;
  const changed = diff?.some((l) => l.kind !== 'same') ?? false;
  return (
    <div className={styles.judgePrompt} data-testid="judge-prompt">
      {parent && (
        <p className="muted" data-testid="judge-prompt-changes">
          Against v{parent.version}:{' '}
          {[
            changed ? 'the prompt changed (marked below)' : 'the same prompt',
            parent.settings.fewShot.length !== s.fewShot.length &&
              `few-shot examples ${parent.settings.fewShot.length} → ${s.fewShot.length}`,
            parent.settings.passThreshold !== s.passThreshold &&
              `pass at ≥ ${parent.settings.passThreshold} → ≥ ${s.passThreshold}`,
            parent.settings.model !== s.model && `model ${parent.settings.model} → ${s.model}`,
          ]
            .filter(Boolean)
            .join('; ')}
          .
        </p>
      )}
      <pre className={styles.judgePromptText}>
        {(diff ?? s.promptTemplate.split('\n').map((text) => ({ kind: 'same' as const, text }))).map((l, i) => (
          <span
            key={i}
            className={`${styles.judgePromptLine} ${l.kind === 'same' ? '' : styles[l.kind]}`}
            data-testid={l.kind === 'same' ? undefined : `prompt-${l.kind}`}
          >
            <span className={styles.judgePromptMark} aria-hidden>
              {l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}
            </span>
            {l.kind === 'added' ? <ins>{l.text}</ins> : l.kind === 'removed' ? <del>{l.text}</del> : l.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}
