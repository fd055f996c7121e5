import { z } from 'zod';

// zod compiles object parsers with `new Function` when it may; its probe for that is an eval that
// the Content-Security-Policy (script-src 'self', no 'unsafe-eval') refuses and reports as a
// violation. Imported first by each app, so the probe never runs: parsing is the same, interpreted.
z.config({ jitless: true });
