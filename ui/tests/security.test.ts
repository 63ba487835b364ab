import { describe, expect, it } from 'vitest';
import { q, qa, settle, startWith } from './helpers';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';

function noInjectedElements(root: ParentNode): void {
  expect(root.querySelectorAll('img').length).toBe(0);
  expect(root.querySelectorAll('script').length).toBe(0);
  expect(root.querySelectorAll('[onerror]').length).toBe(0);
}

describe('user text is always rendered as text', () => {
  async function hostile() {
    return startWith((b) => {
      const script = b.addScript(`${SCRIPT} title`, IMG, `${IMG} description`);
      const scene = b.addSection(script.scriptId, `INT. ${IMG} - DAY`);
      const villain = b.addCharacter(script.scriptId, IMG, SCRIPT);
      b.addElement(scene.headingId, { kind: 'dialogue', text: `${SCRIPT} and ${IMG}`, characterId: villain.characterId, parenthetical: IMG });
      b.addElement(scene.headingId, { kind: 'action', text: IMG });
      const session = b.addSession(script.scriptId, SCRIPT);
      b.setContext(session.sessionId, { headingId: scene.headingId }, { mood: IMG, [SCRIPT]: IMG });
      b.paraphrases.push({ paraphraseId: 1, originalType: 'character', originalId: villain.characterId, text: IMG, commentary: SCRIPT, createdAt: '' });
      b.settings.set('lastScript', script.scriptId);
      b.settings.set('lastView', 'script');
    });
  }

  it('shows a hostile line and character name literally on the script page', async () => {
    const { root } = await hostile();
    const line = qa(root, 'element').find((e) => e.dataset['kind'] === 'dialogue')!;
    expect(q(line, 'element-character').textContent).toBe(IMG);
    expect(q(line, 'element-text').textContent).toBe(`${SCRIPT} and ${IMG}`);
    expect(q(line, 'element-parenthetical').textContent).toBe(`(${IMG})`);
    expect(q(root, 'scene-title').textContent).toBe(`INT. ${IMG} - DAY`);
    noInjectedElements(document);
  });

  it('shows hostile text literally in every view', async () => {
    const { app, root } = await hostile();
    await app.navigate('library');
    expect(q(root, 'script-item-title').textContent).toBe(`${SCRIPT} title`);
    expect(q(root, 'script-item-author').textContent).toBe(IMG);
    await app.navigate('characters');
    expect(q(root, 'character-item-name').textContent).toBe(IMG);
    expect((q(root, 'character-name-input') as HTMLInputElement).value).toBe(IMG);
    q(root, 'description-alts-toggle').click();
    await settle();
    expect(q(root, 'alt-text').textContent).toBe(IMG);
    expect(q(root, 'alt-commentary').textContent).toBe(SCRIPT);
    await app.navigate('sessions');
    expect(q(root, 'session-context').textContent).toBe(SCRIPT);
    expect(q(root, 'context-key-chip').textContent).toContain(SCRIPT);
    expect((q(root, 'mood-custom-input') as HTMLInputElement).value).toBe(IMG);
    await app.navigate('story');
    await settle();
    expect(qa(root, 'story-item-character')[0]!.textContent).toBe(IMG);
    expect(q(root, 'story-title').textContent).toBe(`${SCRIPT} title`);
    expect(qa(root, 'context-chip').some((c) => c.textContent?.includes(IMG))).toBe(true);
    noInjectedElements(document);
  });

  it('shows an error message literally', async () => {
    const { app } = await startWith();
    app.showError({ code: 'invalid_input', message: IMG });
    const banner = document.querySelector('[role="alert"]')!;
    expect(banner.textContent).toContain(IMG);
    noInjectedElements(document);
  });
});

describe('no raw markup APIs in the source', () => {
  it('never uses innerHTML, outerHTML, insertAdjacentHTML or document.write', () => {
    const sources = import.meta.glob('../src/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThanOrEqual(10);
    const offenders = files.filter((f) => /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/.test(sources[f]!));
    expect(offenders).toEqual([]);
  });

  it('the built bundle sets no markup from strings either', () => {
    const built = import.meta.glob('../dist/assets/*.js', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    for (const [file, code] of Object.entries(built)) {
      expect(/\.innerHTML\s*=|insertAdjacentHTML|\.outerHTML\s*=/.test(code), file).toBe(false);
    }
  });
});
