import { describe, expect, it } from 'vitest';

const sources = import.meta.glob('../src/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const doc = (import.meta.glob('../TESTIDS.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)['../TESTIDS.md']!;
const code = Object.values(sources).join('\n');

/** Ids documented as "- `id` — …" lines. */
const documented = [...doc.matchAll(/^- `([a-z0-9-]+)` —/gm)].map((m) => m[1]!);

/** Literal ids in the source: `testid: 'x'` and `button(label, 'x', …)`. */
const literal = new Set<string>([
  ...[...code.matchAll(/testid: ?'([a-z0-9-]+)'/g)].map((m) => m[1]!),
  ...[...code.matchAll(/button\([^\n]*?, '([a-z0-9-]+)', /g)].map((m) => m[1]!),
]);

describe('TESTIDS.md', () => {
  it('lists each test id once, with one line each', () => {
    expect(documented.length).toBeGreaterThan(100);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('documents every literal test id in the source', () => {
    const missing = [...literal].filter((id) => !documented.includes(id));
    expect(missing).toEqual([]);
  });

  it('every documented id exists in the source', () => {
    // Built from a variable: nav-${view}, ${key}-input and script-export-${format}.
    const dynamic = ['nav-library', 'nav-script', 'nav-characters', 'nav-sessions', 'nav-story', 'nav-orchestration', 'location-input', 'time-input', 'script-export-fountain', 'script-export-fdx', 'script-export-pdf'];
    const absent = documented.filter((id) => !code.includes(`'${id}'`) && !code.includes(`"${id}"`) && !dynamic.includes(id));
    expect(absent).toEqual([]);
  });
});
