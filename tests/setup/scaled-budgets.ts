import { vi } from 'vitest';
import { budget } from '../support/budget.ts';

// Runs before each test file: its tests and hooks get timeouts, and expect.poll a default budget,
// scaled by how loaded the machine is now (tests/support/budget.ts). A test that sets its own
// timeout scales it with budget() too.
vi.setConfig({
  testTimeout: budget(30_000),
  hookTimeout: budget(60_000),
  expect: { poll: { timeout: budget(10_000), interval: 50 } },
});
