/** Placeholder: the page lands with the benchmark run work. */
export function RunPage({ id }: { id: string }) {
  return <main className="centered-message">Run {id}</main>;
}
