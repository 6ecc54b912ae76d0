import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateOpenApi, OPENAPI_PATH } from './openapiDocument';

/**
 * `pnpm --filter @makeplus/server openapi`: regenerate docs/api/openapi.json from the routes'
 * zod schemas (the test suite fails while the committed file is out of date).
 */
const text = await generateOpenApi();
let previous = '';
try {
  previous = readFileSync(OPENAPI_PATH, 'utf8');
} catch {}
mkdirSync(path.dirname(OPENAPI_PATH), { recursive: true });
writeFileSync(OPENAPI_PATH, text);
const { paths } = JSON.parse(text) as { paths: Record<string, object> };
const operations = Object.values(paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
process.stdout.write(
  `${previous === text ? 'unchanged' : 'wrote'} ${path.relative(process.cwd(), OPENAPI_PATH)}: ${Object.keys(paths).length} paths, ${operations} operations\n`,
);
