import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from '../support/server';

/** The machine a figure was measured on (CPU, cores, memory, browser, Node). */
export function machineLine(page: Page): string {
  const browser = page.context().browser()?.version() ?? '?';
  return `${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Chromium ${browser}, Node ${process.version}`;
}

/** Replace (or append) the `<!-- name:start -->…<!-- name:end -->` section of docs/performance.md. */
export function writeSection(name: string, body: string): void {
  const file = path.join(repoRoot, 'docs', 'performance.md');
  const doc = readFileSync(file, 'utf8');
  const section = `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`;
  const pattern = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(file, pattern.test(doc) ? doc.replace(pattern, section) : `${doc.trimEnd()}\n\n${section}\n`);
  process.stdout.write(`\n${section}\n`);
}
