import { useRef, useState } from 'react';
import type { DeepDiveState } from './DeepDive.tsx';

/** The run page's result sections, in page order, with their names in the section bar. */
export const RESULT_SECTIONS = [
  ['leaderboard', 'Leaderboard'],
  ['heatmap', 'Heatmap'],
  ['behaviours', 'Behaviours'],
  ['compare', 'Compare'],
  ['factors', 'Factor analysis'],
  ['transcripts', 'Transcripts'],
] as const;

export type ResultSection = (typeof RESULT_SECTIONS)[number][0];

/**
 * Moving around a run's results: the sections to scroll to, and the deep dive's choice, which a
 * click on a model, a behaviour or a cell anywhere above sets before scrolling down to it. Kept
 * by the page, so the choice survives the results being hidden while another judge loads.
 */
export function useResultSections() {
  const sections = useRef<Partial<Record<ResultSection, HTMLElement | null>>>({});
  const [dive, setDive] = useState<DeepDiveState>({});
  const scrollTo = (key: ResultSection) =>
    sections.current[key]?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  return {
    dive,
    setDive,
    scrollTo,
    /** A callback ref recording a section's element. */
    refOf: (key: ResultSection) => (el: HTMLElement | null) => void (sections.current[key] = el),
    /** The transcripts of a model, a behaviour, or both (a heatmap cell), after the render that shows them. */
    pickCell: (model: string | undefined, behaviour: string | undefined) => {
      setDive({ model, behavior: behaviour });
      requestAnimationFrame(() => scrollTo('transcripts'));
    },
    /** One transcript of the output grid, opened in the deep dive. */
    openTranscript: (cell: { model: string; transcriptId: string; behavior: string }) => {
      setDive({ ...dive, model: cell.model, behavior: cell.behavior, open: cell.transcriptId });
      sections.current.transcripts?.scrollIntoView({ block: 'start' });
    },
  };
}

export type ResultSections = ReturnType<typeof useResultSections>;
