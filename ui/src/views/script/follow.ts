// The Script view follows the music: the scene that plays is marked in the navigator (and
// opened when the music moves on to it, unless the writer is editing), the line that plays is
// highlighted on the page.

import type { Now } from '../../transport';
import type { ScriptScope } from './scope';

/** Marks the playing scene and line in `root` (after every render, and as the music moves). */
export function markPlaying(root: ParentNode, now: Now): void {
  const mark = (selector: string, key: 'headingId' | 'elementId', id: number | null) => {
    root.querySelectorAll<HTMLElement>(selector).forEach((el) => {
      const playing = id !== null && el.dataset[key] === String(id);
      el.classList.toggle('playing', playing);
    });
  };
  mark('[data-testid="scene-item"]', 'headingId', now.headingId);
  mark('[data-testid="element"]', 'elementId', now.elementId);
}

/** Follows the transport until the returned function is called. */
export function followTheMusic(v: ScriptScope, root: HTMLElement): () => void {
  let lastHeading: number | null = null;
  return v.app.live.onChange((now) => {
    const ours = now.scriptId === v.app.script?.scriptId;
    const shown: Now = ours ? now : { ...now, headingId: null, elementId: null };
    const heading = shown.headingId;
    const moved = heading !== null && heading !== lastHeading;
    lastHeading = heading;
    const idle = v.state.editing === null && v.state.renaming === null && v.state.drag === null;
    if (moved && idle && heading !== v.state.selected && v.state.sections.some((s) => s.headingId === heading)) {
      v.state.selected = heading;
      void v.refresh();
      return;
    }
    markPlaying(root, shown);
  });
}
