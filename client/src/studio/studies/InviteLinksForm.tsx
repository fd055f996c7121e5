import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreatedInvite } from '../../../../schema/api/auth.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { CopyButton } from './CopyButton.tsx';
import { createRaterInvite } from './studies.api.ts';
import styles from './studies.module.css';

/**
 * Makes rater invite links for a study (realism or annotation), each good for a number of people
 * and shown once. `who` names the people ("rater", "annotator").
 */
export function InviteLinksForm({
  studyId,
  who,
  initialUses,
  testIds,
}: {
  studyId: string;
  who: string;
  initialUses: number;
  testIds: { uses: string; create: string; url: string };
}) {
  const [maxUses, setMaxUses] = useState(initialUses);
  const [invites, setInvites] = useState<CreatedInvite[]>([]);
  const create = useMutation({
    mutationFn: () => createRaterInvite(studyId, maxUses),
    onSuccess: (invite) => setInvites((list) => [invite, ...list]),
  });
  const { isPending: busy, error } = create;

  return (
    <>
      <form
        className={styles.recruitRow}
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) create.mutate();
        }}
      >
        <label className={styles.inlineField}>
          Invite link for
          <input
            type="number"
            min={1}
            max={10_000}
            required
            value={Number.isNaN(maxUses) ? '' : maxUses}
            data-testid={testIds.uses}
            onChange={(e) => setMaxUses(e.target.valueAsNumber)}
          />
          {who}
          {maxUses === 1 ? '' : 's'}
        </label>
        <button type="submit" className="btn btn-sm" disabled={busy} data-testid={testIds.create}>
          {busy ? 'Making…' : 'Make link'}
        </button>
      </form>
      <ErrorMessage error={error} />
      {invites.length > 0 && (
        <ul className={styles.linkList}>
          {invites.map((inv) => (
            <li key={inv.token}>
              <input
                className={`${styles.linkText} mono`}
                readOnly
                value={inv.url}
                data-testid={testIds.url}
                aria-label="Invite link"
                onFocus={(e) => e.target.select()}
              />
              <CopyButton text={inv.url} />
              <span className="muted">
                {inv.maxUses} use{inv.maxUses === 1 ? '' : 's'}, until {new Date(inv.expiresAt).toLocaleDateString()}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
