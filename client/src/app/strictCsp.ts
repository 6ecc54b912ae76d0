import { z } from 'zod';

/**
 * The PWA runs under `script-src 'self'` (no eval). zod 4 compiles object parsers with
 * `new Function` when it may, and probes for that with a `new Function("")` whose CSP refusal is
 * reported as a violation even though zod catches it. Validate without that JIT. The setting that
 * counts is made earlier by public/zod-jitless.js (a classic script in index.html): once the app is
 * split into chunks, zod's chunk and modules that parse at load run before this module's body.
 * This call stays for code loaded without that page (tests, workers).
 * (e2e/tests/account-security.spec.ts checks no violation.)
 */
z.config({ jitless: true });
