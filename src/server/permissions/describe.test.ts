import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRules } from './describe.js';

describe('docs/permissions.md', () => {
  it('carries the default rules exactly as the code defines them (regenerate: npx tsx src/server/permissions/describe.ts)', () => {
    const doc = fs.readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    const block = /<!-- default-rules:start -->\n([\s\S]*?)\n<!-- default-rules:end -->/.exec(doc);
    expect(block, 'the default-rules markers in docs/permissions.md').not.toBeNull();
    expect(block![1]).toBe(describeRules());
  });
});
