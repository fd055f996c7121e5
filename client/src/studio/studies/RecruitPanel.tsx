import { useState } from 'react';
import type { CreatedInvite } from '../../../../schema/api/auth.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { CopyButton } from './CopyButton.tsx';
import { createRaterInvite, prolificUrl } from './studies.api.ts';

/** Getting raters in: invite links (each good for a number of raters) and the Prolific study URL. */
export function RecruitPanel({ studyId, completionCode, completionUrl }: { studyId: string; completionCode: string; completionUrl: string | null }) {
  const [maxUses, setMaxUses] = useState(5);
  const [invites, setInvites] = useState<CreatedInvite[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const prolific = prolificUrl(studyId);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const invite = await createRaterInvite(studyId, maxUses);
      setInvites((list) => [invite, ...list]);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  return (
    <section className="panel" aria-labelledby="recruit-title">
      <h2 id="recruit-title">Invite raters</h2>
      <form
        className="recruit-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void create();
        }}
      >
        <label className="inline-field">
          Invite link for
          <input type="number" min={1} max={10_000} required value={Number.isNaN(maxUses) ? '' : maxUses} data-testid="invite-uses" onChange={(e) => setMaxUses(e.target.valueAsNumber)} />
          rater{maxUses === 1 ? '' : 's'}
        </label>
        <button type="submit" className="btn btn-sm" disabled={busy} data-testid="create-invite">
          {busy ? 'Making…' : 'Make link'}
        </button>
      </form>
      <ErrorMessage error={error} />
      {invites.length > 0 && (
        <ul className="link-list">
          {invites.map((inv) => (
            <li key={inv.token}>
              <input className="link-text mono" readOnly value={inv.url} data-testid="invite-url" aria-label="Invite link" onFocus={(e) => e.target.select()} />
              <CopyButton text={inv.url} />
              <span className="muted">
                {inv.maxUses} use{inv.maxUses === 1 ? '' : 's'}, until {new Date(inv.expiresAt).toLocaleDateString()}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted panel-note">Each link is shown once: copy it now. Raters open it, give a name and start; they never see the studio.</p>
      <div className="recruit-prolific">
        <span className="strong">Prolific study URL</span>
        <div className="link-row">
          <input className="link-text mono" readOnly value={prolific} data-testid="prolific-url" aria-label="Prolific study URL" onFocus={(e) => e.target.select()} />
          <CopyButton text={prolific} testId="copy-prolific" />
        </div>
        <p className="muted panel-note">Paste it into Prolific with “URL parameters” on; participants are let in with no account and, after their batch, sent back with a completion code.</p>
        <div className="link-row">
          <span className="strong">Completion code</span>
          <code className="mono" data-testid="completion-code">{completionCode}</code>
          <CopyButton text={completionCode} testId="copy-completion-code" />
        </div>
        <p className="muted panel-note">
          {completionUrl ? <>Participants are sent to {completionUrl} when done.</> : <>Enter this code in Prolific as the study's completion code; participants are sent to Prolific's completion page with it.</>}
        </p>
      </div>
    </section>
  );
}
