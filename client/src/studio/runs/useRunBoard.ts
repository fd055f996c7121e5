import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RunSummary } from '../../../../schema/api/runs.ts';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { runKeys } from '../../api/queryKeys.ts';
import { fetchLeaderboard } from './runs.api.ts';

const POLL_MS = 5000;

/**
 * The run's leaderboard under the judge version and the dimension the author chose. null is the
 * server's default for each (the run's judge, or the default judge; the primary dimension,
 * alignment): choosing the run's own judge again goes back to null, so the request stays the
 * default one. A new judge starts from the primary dimension, since another judge may score
 * other dimensions. Asked again every 5 s while the run is `active`, keeping the last board shown.
 */
export function useRunBoard(id: string, run: RunSummary | undefined, active: boolean, judges?: JudgeVersion[]) {
  const [chosenJudge, setChosenJudge] = useState<string | null>(null);
  const [dimension, setDimension] = useState<string | null>(null);
  const board = useQuery({
    queryKey: runKeys.leaderboard(id, chosenJudge, dimension),
    queryFn: () => fetchLeaderboard(id, chosenJudge, dimension),
    enabled: !!run,
    placeholderData: keepPreviousData,
    refetchInterval: active ? POLL_MS : false,
  });
  return {
    board,
    chosenJudge,
    dimension,
    /** The judge version the results are under, as the judge bar names it. */
    judgeVersionId: chosenJudge ?? run?.judgeVersionId ?? judges?.find((j) => j.isDefault)?.id ?? null,
    chooseJudge: (judge: string) => {
      setChosenJudge(judge === run?.judgeVersionId ? null : judge);
      setDimension(null);
    },
    chooseDimension: setDimension,
  };
}
