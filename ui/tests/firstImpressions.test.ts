// Suggested moods in Sessions & contexts, the Reports view, the library card's title page
// lines, and the Scenes view's emphasis and opening.

import { describe, expect, it } from 'vitest';
import { emphasised } from '../src/emphasis';
import { key, q, qa, seedScript, settle, startWith, waitFor } from './helpers';

function html(text: string): string {
  const div = document.createElement('div');
  div.append(...emphasised(text));
  return div.innerHTML;
}

describe('emphasis', () => {
  it('styles bold, italic, underline and bold italic, and keeps unpaired or escaped markers literal', () => {
    expect(html('a **bold** b')).toBe('a <span class="em-bold">bold</span> b');
    expect(html('*it* and _under_')).toBe('<span class="em-italic">it</span> and <span class="em-underline">under</span>');
    expect(html('***both***')).toBe('<span class="em-bold em-italic">both</span>');
    expect(html('_**FADE IN:**_')).toBe('<span class="em-underline"><span class="em-bold">FADE IN:</span></span>');
    expect(html('He dialed *69 and then hung up.')).toBe('He dialed *69 and then hung up.');
    expect(html('code \\*9765\\*')).toBe('code *9765*');
    expect(html('*across\nlines*')).toBe('*across\nlines*');
  });

  it('never turns markup into elements', () => {
    const div = document.createElement('div');
    div.append(...emphasised('**<img src=x onerror=alert(1)>**'));
    expect(div.querySelector('img')).toBeNull();
    expect(div.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('first impressions', () => {
  it('the library card shows the title page as separate lines', async () => {
    const { root } = await startWith((b) => {
      b.addScript('Big Fish', 'John August', 'credit: written by\nsource: based on the novel by Daniel Wallace\nnotes: FINAL PRODUCTION DRAFT');
    });
    const lines = qa(root, 'script-desc-line').map((l) => [l.dataset['field'], l.textContent]);
    expect(lines).toEqual([
      ['credit', 'Written by'],
      ['source', 'Based on the novel by Daniel Wallace'],
      ['notes', 'FINAL PRODUCTION DRAFT'],
    ]);
  });

  it('the Scenes view styles emphasis and prints no heading for the opening', async () => {
    const { root } = await startWith((b) => {
      const script = b.addScript('Opening');
      const opening = b.addSection(script.scriptId, '(before the first scene)');
      b.addSection(script.scriptId, 'INT. ROOM - DAY');
      b.addElement(opening.headingId, { kind: 'action', text: '**FADE IN:**' });
      b.settings.set('lastScript', script.scriptId);
      b.settings.set('lastView', 'script');
    });
    await waitFor(() => root.querySelector('[data-testid="element-text"]'));
    expect(root.querySelector('[data-testid="scene-heading"]')).toBeNull();
    q(root, 'scene-opening');
    expect(q(root, 'element-text').querySelector('.em-bold')?.textContent).toBe('FADE IN:');
    expect(q(root, 'element-text').textContent).toBe('FADE IN:');
    expect(qa(root, 'scene-title').map((t) => t.textContent)).toEqual(['Opening', 'INT. ROOM - DAY']);
  });

  it('Suggest moods fills a session of its own, the writer accepts or clears, and it becomes active', async () => {
    const { root, backend, app } = await startWith((b) => {
      const { s1, s2 } = seedScript(b, 'sessions');
      b.addElement(s1.headingId, { kind: 'action', text: 'She screams.' });
      b.addElement(s2.headingId, { kind: 'action', text: 'They laugh.' });
    });
    await waitFor(() => root.querySelector('[data-testid="moods-suggest"]'));
    q(root, 'moods-suggest').click();
    await waitFor(() => qa(root, 'mood-suggestion').length === 2);
    const session = backend.sessions.find((s) => s.context === 'Suggested moods')!;
    expect(app.sessionId).toBe(session.sessionId);
    expect(qa(root, 'mood-suggestion').map((s) => s.dataset['suggested'])).toEqual(['fear', 'joy']);
    expect(qa<HTMLSelectElement>(root, 'mood-select').map((s) => s.value)).toEqual(['fear', 'joy']);
    qa(root, 'mood-clear')[1]!.click();
    await waitFor(() => qa<HTMLSelectElement>(root, 'mood-select')[1]!.value === '');
    q(root, 'moods-accept-all').click();
    await settle();
    const data = backend.contexts.filter((c) => c.sessionId === session.sessionId).map((c) => [c.data['mood'], c.data['moodFrom']]);
    expect(data).toEqual([
      ['fear', 'writer'],
      [undefined, 'writer'],
    ]);
    expect(qa(root, 'mood-accept')).toHaveLength(0);

    // Ctrl+Z takes back "accept all" in one step, then the clear: the suggestions are pending again.
    const moods = () => backend.contexts.filter((c) => c.sessionId === session.sessionId).map((c) => [c.data['mood'], c.data['moodFrom']]);
    key(document.body, 'z', { ctrlKey: true });
    await waitFor(() => qa(root, 'mood-accept').length === 1);
    expect(moods()).toEqual([
      ['fear', 'suggestion'],
      [undefined, 'writer'],
    ]);
    key(document.body, 'z', { ctrlKey: true });
    await waitFor(() => qa(root, 'mood-accept').length === 2);
    expect(qa<HTMLSelectElement>(root, 'mood-select').map((s) => s.value)).toEqual(['fear', 'joy']);
    key(document.body, 'z', { ctrlKey: true, shiftKey: true });
    await waitFor(() => qa(root, 'mood-accept').length === 1);
    expect(qa<HTMLSelectElement>(root, 'mood-select')[1]!.value).toBe('');
  });

  it('the Reports view draws its charts and tables', async () => {
    const { root } = await startWith((b) => {
      seedScript(b, 'reports');
    });
    await waitFor(() => root.querySelector('[data-testid="dialogue-chart"]'));
    expect(root.querySelectorAll('[data-testid="dialogue-chart-bar"]')).toHaveLength(1);
    expect(root.querySelectorAll('[data-testid="mood-strip-scene"]')).toHaveLength(2);
    expect(root.querySelectorAll('[data-testid="location-chart-bar"]')).toHaveLength(2);
    expect(q(root, 'report-characters').textContent).toContain('JULIET');
    expect(q(root, 'report-pages').textContent).toMatch(/pages$/);
  });

  it('the Reports view saves a chart as SVG and a table as CSV through the native dialog', async () => {
    const { root, backend } = await startWith((b) => {
      seedScript(b, 'reports');
      b.exportDialogResult = '/tmp/reports';
    });
    await waitFor(() => root.querySelector('[data-testid="dialogue-chart"]'));
    q(root, 'dialogue-share-export-svg').click();
    await waitFor(() => backend.saved.length === 1 || null);
    expect(backend.saved[0]!.name).toBe('dialogue-share.svg');
    expect(backend.saved[0]!.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(backend.saved[0]!.text).toContain('JULIET');
    await waitFor(() => q(root, 'status-message').textContent?.includes('Saved to /tmp/reports/dialogue-share.svg') || null);
    q(root, 'report-csv-locations').click();
    await waitFor(() => backend.saved.length === 2 || null);
    expect(backend.saved[1]!.name).toBe('locations.csv');
    expect(backend.saved[1]!.text).toMatch(/^location,scenes,eighths\r\nORCHARD,1,/);
  });
});
