// A classic script, so it runs before any of the app's module chunks: zod 4 reads this global config
// when it first loads. With `jitless` it never probes for `new Function` (refused by our CSP,
// `script-src 'self'`, and reported as a violation even though zod catches it). See app/strictCsp.ts.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
