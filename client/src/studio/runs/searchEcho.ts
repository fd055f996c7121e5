// A search box that debounces what is typed and also follows its value from outside (a link, the
// back button, a reset) must tell the two apart. The value it sent itself comes back a render
// later; by then more may have been typed (on a busy machine, a whole new query), and taking the
// echo as an outside change would throw those keys away and search the old words.

export interface SearchBoxText {
  /** What the box shows. */
  typed: string;
  /** The last query the box sent, or the last outside value it took. */
  sent: string;
}

/** The box's text after its value arrives: an echo of what it sent keeps the typing; anything else replaces it. */
export function afterValueArrives(box: SearchBoxText, value: string): SearchBoxText {
  if (value === box.sent) return box;
  return { typed: value, sent: value };
}
