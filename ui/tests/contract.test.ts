// The fake backend answers as the real core does: every call of contract/calls.json, replayed
// through the fake, gets the answer the core gave (contract/core-answers.json, recorded on a
// real SQLite file by tests/ui_contract.rs, which also fails when it is stale).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import type { Json } from '../src/api';
import { FakeBackend } from './fakeBackend';
import answersJson from './contract/core-answers.json';

interface Recorded {
  cmd: string;
  args: { [key: string]: Json };
  ok?: Json;
  error?: { code: string; message: string };
}

const recorded = answersJson as unknown as Recorded[];

/** `{"$answer": n}` stands for the answer of call n, as in the Rust test. */
function resolve(args: Json, answers: Json[]): Json {
  if (Array.isArray(args)) return args.map((a) => resolve(a, answers));
  if (args === null || typeof args !== 'object') return args;
  const ref = args['$answer'];
  if (typeof ref === 'number') return answers[ref] ?? null;
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, resolve(v, answers)]));
}

/** As the Rust test: timestamps are only there; and what JSON would drop, dropped. A script's
 * `revision` counts every write the core makes: the fake keeps one but does not model the count,
 * so only its presence is compared. */
function normalised(value: unknown): Json {
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === 'createdAt' || k === 'updatedAt') && typeof x === 'string' ? '<time>' : k === 'revision' && typeof x === 'number' ? '<revision>' : walk(x)]));
  };
  return walk(JSON.parse(JSON.stringify(value ?? null)) as Json);
}

describe('the fake backend', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('answers every recorded call as the core did', async () => {
    expect(recorded.length).toBeGreaterThan(50);
    const answers: Json[] = [];
    for (const [i, call] of recorded.entries()) {
      const args = resolve(call.args, answers) as { [key: string]: Json };
      let outcome: Pick<Recorded, 'ok' | 'error'>;
      try {
        outcome = { ok: normalised(await invoke(call.cmd, args)) };
      } catch (err) {
        const e = err as { code?: string; message?: string };
        outcome = { error: { code: String(e.code), message: String(e.message) } };
      }
      answers.push(outcome.ok ?? null);
      const expected = call.error ? { error: call.error } : { ok: normalised(call.ok ?? null) };
      expect(outcome, `call ${i}: ${call.cmd} ${JSON.stringify(call.args)}`).toEqual(expected);
    }
  });
});
