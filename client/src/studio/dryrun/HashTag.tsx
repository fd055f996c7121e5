import { shortHash } from './runFormat.ts';
import styles from './dryrun.module.css';

/** The scenario version a run was made of, and whether it is the text in the editor now. */
export function HashTag({ hash, currentHash }: { hash: string; currentHash: string | null }) {
  const same = currentHash !== null && hash === currentHash;
  return (
    <span
      className={same ? `${styles.hashTag} ${styles.current}` : styles.hashTag}
      data-testid="hash-tag"
      data-current={currentHash === null ? 'unknown' : String(same)}
      title={`scenario content hash ${hash}`}
    >
      <span className="mono">{shortHash(hash)}</span>{' '}
      {currentHash === null ? '' : same ? '= current text' : '≠ current text'}
    </span>
  );
}
