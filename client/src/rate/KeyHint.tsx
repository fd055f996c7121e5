import type { ReactNode } from 'react';
import styles from './rate.module.css';

/**
 * A keyboard hint (key badges with the words that go with them, "H then 1–5"). On a touch screen
 * the whole hint goes, never the badges alone: "then –" is no help to anyone.
 */
export function KeyHint({ children }: { children: ReactNode }) {
  return <span className={styles.keyHint}>{children}</span>;
}
