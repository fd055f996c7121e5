import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { raterKeys } from '../api/queryKeys.ts';
import { useMe } from '../auth/useMe.ts';
import { RateRequestError } from './rateApi.ts';
import type { Notice } from './notice.ts';

const readSeen = (key: string) => {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
};

const noRetryOnRefusal = (count: number, e: Error) =>
  !(e instanceof RateRequestError && e.status > 0 && e.status < 500) && count < 2;

/**
 * What every rater page shares (realism ratings and transcript verdicts): who is signed in, the
 * study, the next task (asked for while the instructions are read, so it is there at once), the
 * instructions shown once per study, and the notice after each answer.
 */
export function useRaterSession<S extends { name: string }, N>(opts: {
  /** 'rate' or 'annotate': names the cache entries and the "instructions seen" flag. */
  kind: string;
  studyId: string;
  title: string;
  fetchStudy: () => Promise<S>;
  fetchNext: () => Promise<N>;
}) {
  const { kind, studyId } = opts;
  const me = useMe();
  const signedIn = !!me.data;
  const study = useQuery({
    queryKey: raterKeys.study(kind, studyId),
    queryFn: opts.fetchStudy,
    enabled: signedIn,
    staleTime: Infinity,
    retry: noRetryOnRefusal,
  });
  const next = useQuery({
    queryKey: raterKeys.next(kind, studyId),
    queryFn: opts.fetchNext,
    enabled: signedIn && study.isSuccess,
    staleTime: Infinity,
    retry: noRetryOnRefusal,
  });
  const seenKey = `crucible.${kind}.instructions-seen.${studyId}`;
  const [instructions, setInstructions] = useState<'first' | 'again' | null>(() =>
    readSeen(seenKey) ? null : 'first',
  );
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    document.title = study.data ? `${opts.title} · ${study.data.name}` : `${opts.title} · Crucible`;
  }, [study.data, opts.title]);

  const closeInstructions = () => {
    try {
      localStorage.setItem(seenKey, '1');
    } catch {
      // Private browsing without storage: the instructions may come again next time.
    }
    setInstructions(null);
  };

  const onNext = async (n: Notice) => {
    await next.refetch();
    setNotice(n);
    window.scrollTo({ top: 0 });
  };

  return { me, study, next, instructions, setInstructions, closeInstructions, notice, setNotice, onNext };
}
