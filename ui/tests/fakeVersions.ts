// Versions as the core keeps them (src/sequence/versions.rs): a JSON snapshot per version, a
// diff keyed by the ids inside, and a restore that records the state before and after.
// tests/contract.test.ts checks these answers against the real core's.

import type { Json, VersionChange } from '../src/api';

/** Arrays of objects carrying one of these ids are compared item by item. */
const IDENTITY_KEYS = ['elementId', 'headingId', 'characterId'] as const;

function identity(item: Json): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  for (const key of IDENTITY_KEYS) {
    const id = item[key];
    if (typeof id === 'number') return `${key}=${id}`;
  }
  return undefined;
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(v: Json | undefined): Json | undefined {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => sorted(x) ?? null);
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted(v[k]) ?? null]),
  );
}

/** What changed from snapshot `a` to snapshot `b`, in the core's order and paths. */
export function diffSnapshots(path: string, a: Json, b: Json, out: VersionChange[] = []): VersionChange[] {
  const isObject = (v: Json): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const sub = path ? `${path}.${key}` : key;
      const [va, vb] = [a[key], b[key]];
      if (va !== undefined && vb !== undefined) diffSnapshots(sub, va, vb, out);
      else out.push({ path: sub, before: va ?? null, after: vb ?? null });
    }
  } else if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((v) => identity(v) !== undefined)) {
    for (const x of a) {
      const y = b.find((v) => identity(v) === identity(x));
      if (y !== undefined) diffSnapshots(`${path}[${identity(x)}]`, x, y, out);
      else out.push({ path: `${path}[${identity(x)}]`, before: x, after: null });
    }
    for (const y of b.filter((v) => !a.some((x) => identity(x) === identity(v)))) {
      out.push({ path: `${path}[${identity(y)}]`, before: null, after: y });
    }
  } else if (!same(a, b)) {
    out.push({ path, before: a, after: b });
  }
  return out;
}

export { same as sameSnapshot };
