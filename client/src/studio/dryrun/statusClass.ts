import styles from './dryrun.module.css';

/** The dry-run module's class for a status word ('your turn' → .run-your-turn), or '' when it styles none. */
export const statusClass = (prefix: 'run' | 'status', status: string): string =>
  styles[`${prefix}-${status}`.replace(/[\s-]+(\w)/g, (_, c: string) => c.toUpperCase())] ?? '';
