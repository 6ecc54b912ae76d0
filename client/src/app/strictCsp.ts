import { z } from 'zod';

/**
 * The PWA runs under `script-src 'self'` (no eval). zod 4 compiles object parsers with
 * `new Function` when it may, and probes for that with a `new Function("")` whose CSP refusal is
 * reported as a violation even though zod catches it. Validate without that JIT: imported first
 * by main.tsx, before any schema parses. (e2e/tests/account-security.spec.ts checks no violation.)
 */
z.config({ jitless: true });
