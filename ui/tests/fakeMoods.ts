// The fake backend's moods suggested from the text (a tiny word rule, not the core's list)
// and the script report (simple counts), enough to drive the Sessions and Reports views.

import type { Element, SceneMoods, ScriptReport } from '../src/api';
import { BackendError, type FakeBackend } from './fakeBackend';

type Args = Record<string, unknown>;
const WORDS: [RegExp, string][] = [
  [/scream|blood/i, 'fear'],
  [/laugh|dance/i, 'joy'],
];

function suggestion(elements: Element[]): string {
  const text = elements.map((e) => e.text).join(' ');
  return WORDS.find(([re]) => re.test(text))?.[1] ?? 'neutral';
}

function byWriter(data: Record<string, string>): boolean {
  if (data['moodFrom'] === 'writer') return true;
  if (data['moodFrom'] === 'suggestion') return data['mood'] !== data['suggestedMood'];
  return 'mood' in data;
}

function moods(b: FakeBackend, scriptId: number, sessionId: number): SceneMoods {
  const scenes = b.sections
    .filter((s) => s.scriptId === scriptId)
    .map((s) => {
      const data = b.contextOf(sessionId, { headingId: s.headingId })?.data ?? {};
      const suggested = data['suggestedMood'];
      return {
        headingId: s.headingId,
        title: s.title,
        opening: s.title === '(before the first scene)',
        suggestion: suggested ? { mood: suggested, confidence: Number(data['moodConfidence'] ?? 0), evidence: (data['moodEvidence'] ?? '').split('; ') } : undefined,
        mood: data['mood'],
        byWriter: byWriter(data),
      };
    });
  return { scriptId, sessionId, scenes };
}

function suggest(b: FakeBackend, scriptId: number): SceneMoods {
  b.script(scriptId);
  const session = b.sessions.find((s) => s.scriptId === scriptId && s.context === 'Suggested moods') ?? (b.handle('session_create', { new: { scriptId, context: 'Suggested moods' } }) as { sessionId: number });
  for (const s of b.sections.filter((x) => x.scriptId === scriptId)) {
    const mood = suggestion(b.elements.filter((e) => e.headingId === s.headingId));
    const data = b.contextOf(session.sessionId, { headingId: s.headingId })?.data ?? {};
    const set: Record<string, string> = { suggestedMood: mood, moodConfidence: '0.75', moodEvidence: `\u201C${mood}\u201D words` };
    const unset: string[] = [];
    if (!byWriter(data)) {
      if (mood === 'neutral') unset.push('mood', 'moodFrom');
      else Object.assign(set, { mood, moodFrom: 'suggestion' });
    }
    b.setContext(session.sessionId, { headingId: s.headingId }, set, unset);
  }
  return moods(b, scriptId, session.sessionId);
}

function review(b: FakeBackend, r: { sessionId: number; headingId: number | null; decision: string; mood: string | null }): SceneMoods {
  const session = b.sessions.find((s) => s.sessionId === r.sessionId);
  if (!session) throw new BackendError('not_found', `Session ${r.sessionId} not found.`);
  const scriptId = session.scriptId!;
  const headings = r.headingId != null ? [r.headingId] : b.sections.filter((s) => s.scriptId === scriptId).map((s) => s.headingId);
  for (const headingId of headings) {
    const data = b.contextOf(r.sessionId, { headingId })?.data ?? {};
    if (r.headingId == null && (!data['suggestedMood'] || byWriter(data))) continue;
    const mood = r.decision === 'set' ? r.mood : r.decision === 'accept' ? data['suggestedMood'] : null;
    if (mood && mood !== 'neutral') b.setContext(r.sessionId, { headingId }, { mood, moodFrom: 'writer' }, []);
    else b.setContext(r.sessionId, { headingId }, { moodFrom: 'writer' }, ['mood']);
  }
  return moods(b, scriptId, r.sessionId);
}

function report(b: FakeBackend, scriptId: number, sessionId: number | null): ScriptReport {
  const script = b.script(scriptId);
  const sections = b.sections.filter((s) => s.scriptId === scriptId);
  const lines = b.elements.filter((e) => sections.some((s) => s.headingId === e.headingId) && e.kind === 'dialogue' && e.characterId !== null);
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
  const total = Math.max(1, lines.reduce((n, e) => n + words(e.text), 0));
  const scenes = sections.map((s, i) => ({
    headingId: s.headingId,
    number: i + 1,
    title: s.title,
    opening: false,
    eighths: 1 + b.elements.filter((e) => e.headingId === s.headingId).length,
    speakers: [],
    location: s.title.replace(/^(INT|EXT)\. /, '').split(' - ')[0] ?? '',
    timeOfDay: s.title.split(' - ')[1] ?? '',
    mood: sessionId === null ? undefined : b.contextOf(sessionId, { headingId: s.headingId })?.data['mood'],
  }));
  const characters = b.characters
    .filter((c) => c.scriptId === scriptId)
    .map((c) => {
      const own = lines.filter((e) => e.characterId === c.characterId);
      const w = own.reduce((n, e) => n + words(e.text), 0);
      return { characterId: c.characterId, name: c.name, lines: own.length, words: w, scenes: new Set(own.map((e) => e.headingId)).size, dialogueShare: Math.round((w * 1000) / total) / 10, firstScene: 1, lastScene: 1 };
    })
    .filter((c) => c.lines > 0);
  const places = new Map<string, number>();
  for (const s of scenes) places.set(s.location, (places.get(s.location) ?? 0) + 1);
  const eighths = scenes.reduce((n, s) => n + s.eighths, 0);
  return {
    scriptId,
    title: script.title,
    sessionId: sessionId ?? undefined,
    totals: { eighths, pages: Math.round((eighths * 10) / 8) / 10, scenes: scenes.length, speakingParts: characters.length, dialogueLines: lines.length, dialogueWords: total, runtimeMinutes: Math.ceil(eighths / 8) },
    characters,
    scenes,
    locations: [...places].map(([location, n]) => ({ location, scenes: n, eighths: n })),
  };
}

export function handleMoods(b: FakeBackend, cmd: string, a: Args): unknown {
  const sessionId = (a['sessionId'] as number | null) ?? null;
  switch (cmd) {
    case 'moods_suggest':
      return suggest(b, a['scriptId'] as number);
    case 'moods_list':
      return moods(b, b.sessions.find((s) => s.sessionId === sessionId)?.scriptId ?? 0, sessionId ?? 0);
    case 'moods_review':
      return review(b, a['review'] as { sessionId: number; headingId: number | null; decision: string; mood: string | null });
    case 'report_get':
      return report(b, a['scriptId'] as number, sessionId);
    default: {
      const r = report(b, a['scriptId'] as number, sessionId);
      return `location,scenes,eighths\r\n${r.locations.map((l) => `${l.location},${l.scenes},${l.eighths}`).join('\r\n')}\r\n`;
    }
  }
}
