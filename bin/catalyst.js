#!/usr/bin/env node
// The `catalyst` command. The TypeScript sources are compiled to dist/ by `npm run build` (run by `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('catalyst: dist/ is missing. Run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
await import(entry);
