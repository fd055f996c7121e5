/** Placeholder replaced once the studio lands: measures the browser list in Chromium. */
export async function measureStudio(url: string): Promise<void> {
  console.log(`studio measurement: not yet written (server at ${url})`);
}
