/**
 * Makes Node create its web streams' "Reader released" error now, from a shallow stack. Node makes
 * that error once per process, at the first release of a stream reader, and reads its stack at
 * once; with source maps on (tsx: `crucible worker`, the command line) formatting that stack parses
 * the source map of every file on it. The first release otherwise happens deep in the AI SDK's
 * reading of the first model answer, and parsing those maps cost 150-250 ms of CPU there (a 64-item
 * run's profile, load 25), inside the first call of every item of the first wave. Released here,
 * the stack holds this file and the caller's.
 */
export function makeReaderReleasedErrorNow(): void {
  new ReadableStream().getReader().releaseLock();
}
