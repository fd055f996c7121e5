/** Per word and block of 1,024 document numbers, the documents holding the word (migration 2026-12-01T1300). */
export interface ScenarioSearchWordTable {
  word: string;
  block: number;
  /** The documents' offsets in the block, ascending, two base-36 characters each (search-words.ts). */
  docs: string;
}

/** Every word ever written to the word index (never pruned: a word no document holds any more finds nothing). */
export interface ScenarioSearchVocabTable {
  word: string;
  /** 1 when the word is made only of the digits 0-9 (migration 2026-12-02T1300; search-words.ts). */
  digits_only: number;
}
