import { CopyButton } from './CopyButton.tsx';
import { InviteLinksForm } from './InviteLinksForm.tsx';
import { prolificUrl } from './studies.api.ts';
import styles from './studies.module.css';

/** Getting raters in: invite links (each good for a number of raters) and the Prolific study URL. */
export function RecruitPanel({
  studyId,
  completionCode,
  completionUrl,
  batchSize,
  maxSkips,
  requirePlatformIds,
}: {
  studyId: string;
  completionCode: string;
  completionUrl: string | null;
  batchSize: number;
  maxSkips: number;
  requirePlatformIds: boolean;
}) {
  const prolific = prolificUrl(studyId);

  return (
    <section className="panel" aria-labelledby="recruit-title">
      <h2 id="recruit-title">Invite raters</h2>
      <InviteLinksForm
        studyId={studyId}
        who="rater"
        initialUses={5}
        testIds={{ uses: 'invite-uses', create: 'create-invite', url: 'invite-url' }}
      />
      <p className="muted panel-note">
        Each link is shown once: copy it now. Raters open it, give a name and start; they never see the studio.
      </p>
      <div className={styles.recruitProlific}>
        <span className="strong">Prolific study URL</span>
        <div className={styles.linkRow}>
          <input
            className={`${styles.linkText} mono`}
            readOnly
            value={prolific}
            data-testid="prolific-url"
            aria-label="Prolific study URL"
            onFocus={(e) => e.target.select()}
          />
          <CopyButton text={prolific} testId="copy-prolific" />
        </div>
        <p className="muted panel-note">
          Paste it into Prolific with “URL parameters” on; participants are let in with no account and, after their
          batch, sent back with a completion code.
          {requirePlatformIds && ' Links without Prolific’s STUDY_ID and SESSION_ID are refused.'}
        </p>
        <p className="panel-note" data-testid="completion-rule">
          Complete means {batchSize} rating{batchSize === 1 ? '' : 's'}; a participant may skip up to {maxSkips}{' '}
          scenario{maxSkips === 1 ? '' : 's'} on the way. Skipping or running out of scenarios earns no code.
        </p>
        <div className={styles.linkRow}>
          <span className="strong">Completion code</span>
          <code className="mono" data-testid="completion-code">
            {completionCode}
          </code>
          <CopyButton text={completionCode} testId="copy-completion-code" />
        </div>
        <p className="muted panel-note">
          {completionUrl ? (
            <>Participants are sent to {completionUrl} when done.</>
          ) : (
            <>
              Enter this code in Prolific as the study's completion code; participants are sent to Prolific's completion
              page with it.
            </>
          )}
        </p>
      </div>
    </section>
  );
}
