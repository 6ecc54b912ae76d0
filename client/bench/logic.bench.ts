/**
 * The client's pure work at event scale, in Node (no browser): the cash desk's participant search
 * as the cashier types, and the CSV import's row check, each at 100,000 participants against a
 * plain baseline measured in the same run. Run by `pnpm bench` (scripts/makeplus.mjs); writes the
 * `client-logic-bench` section of docs/performance.md. These figures used to be timed assertions in
 * the unit tests; timing belongs here, the tests check the results.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSearchIndex, fold, searchParticipants } from '../src/cashDesk/participantSearch';
import { createImportChecker, guessMapping, mapRow } from '../src/participants/importRows';

const SIZE = Number(process.env.BENCH_LOGIC_SIZE ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repoRoot = path.resolve(import.meta.dirname, '../..');

const FIRST = ['Amel', 'Karim', 'Sara', 'Yanis', 'Lina', 'Mehdi', 'Nadia', 'Walid', 'Rym', 'Samir'];
const LAST = ['Haddad', 'Bouzid', 'Ziani', 'Cherif', 'Saïdi', 'Benali', 'Mansouri', 'Khelifi', 'Amrani', 'Djebbar'];
const people = Array.from({ length: SIZE }, (_, i) => ({
  id: `p-${i}`,
  firstName: FIRST[i % 10] as string,
  lastName: `${LAST[Math.floor(i / 10) % 10]}${i}`,
  email: `person.${i}@example.org`,
  organization: i % 3 === 0 ? 'CHU Mustapha' : 'Clinique Éléonore',
  badgeCode: `MKPL1.code${i}.sig`,
  legacyBadgeId: i % 2 ? `USER-${i}-ABCDEF12` : '',
}));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}×`;

// 1. Search as the cashier types: each prefix of a name, a rare match, a miss, an email.
const queries = ['a', 'am', 'ame', 'amel', 'amel ben', 'amel djebbar99990', 'zzzz', 'person.99999@', 'eleonore'];
const index = buildSearchIndex(people);
// Baseline: a plain scan of the same people, folded text prepared once, String.includes on each word.
const folded = people.map((p) => ({ p, text: fold(`${p.firstName} ${p.lastName} ${p.email} ${p.organization}`) }));
const plainScan = (q: string, limit = 12) => {
  const words = fold(q).split(/\s+/).filter(Boolean);
  const out = [];
  for (const x of folded) {
    if (words.every((w) => x.text.includes(w))) out.push(x.p);
    if (out.length >= limit) break;
  }
  return out;
};
const searchTimes: number[] = [];
const scanTimes: number[] = [];
for (let run = 0; run < RUNS; run++)
  for (const q of queries) {
    searchTimes.push(time(() => searchParticipants(index, q, 12)));
    scanTimes.push(time(() => plainScan(q)));
  }
const buildMs = median(Array.from({ length: 3 }, () => time(() => buildSearchIndex(people))));

// 2. The import's row check (mapping, validation with the shared schema, duplicates by email).
const mapping = guessMapping(['firstName', 'lastName', 'email']);
const rows = Array.from({ length: SIZE }, (_, i) => [`P${i}`, `N${i}`, `p${i}@example.org`]);
const checkMs = median(
  Array.from({ length: RUNS }, () =>
    time(() => {
      const checker = createImportChecker(mapping);
      for (const cells of rows) checker.add(cells);
      if (checker.result().rows.length !== SIZE) throw new Error('import check lost rows');
    }),
  ),
);
// Baseline: the same rows only mapped to objects (no validation, no duplicate check).
const mapMs = median(Array.from({ length: RUNS }, () => time(() => rows.map((cells) => mapRow(cells, mapping)))));

const n = SIZE.toLocaleString('en');
const machine = `${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} by \`pnpm bench\` (client/bench/logic.bench.ts) in Node, the client's pure functions at ${n} participants.`,
  '',
  '| what | figure | baseline (same run) | ratio | machine |',
  '|---|---|---|---|---|',
  `| cash desk search as the cashier types (${queries.length} queries: prefixes, a rare match, a miss, an email), p50 / p95 / max — ${n} participants, ${RUNS} runs | ${ms(pct(searchTimes, 50))} / ${ms(pct(searchTimes, 95))} / ${ms(Math.max(...searchTimes))} ms | a plain scan of the same folded text (String.includes per word): ${ms(pct(scanTimes, 50))} / ${ms(pct(scanTimes, 95))} / ${ms(Math.max(...scanTimes))} ms | ${ratio(pct(searchTimes, 50), pct(scanTimes, 50))} / ${ratio(pct(searchTimes, 95), pct(scanTimes, 95))} | ${machine} |`,
  `| cash desk search index built from the device's participants — median of 3 | ${ms(buildMs)} ms | — | — | same |`,
  `| CSV import row check (mapping, shared schema validation, duplicates by email) of ${n} rows — median of ${RUNS} | ${ms(checkMs)} ms | the same rows only mapped to objects: ${ms(mapMs)} ms | ${ratio(checkMs, mapMs)} | same |`,
].join('\n');

const file = path.join(repoRoot, 'docs', 'performance.md');
const doc = readFileSync(file, 'utf8');
const name = 'client-logic-bench';
const section = `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`;
const pattern = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
writeFileSync(file, pattern.test(doc) ? doc.replace(pattern, section) : `${doc.trimEnd()}\n\n${section}\n`);
process.stdout.write(`\n${section}\n`);
