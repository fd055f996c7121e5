// The settings of a realism study made straight through the repository (createStudy), for tests
// that drive assignment without the HTTP layer: only the name and raters per scenario vary.

export function plainStudySettings(name: string, ratersPerItem: number) {
  return {
    name,
    instructions: '',
    ratersPerItem,
    batchSize: 20,
    minRatings: 1,
    minMean: 3,
    maxAttentionFailures: 1,
    anchors: { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' },
    filter: {},
  };
}
