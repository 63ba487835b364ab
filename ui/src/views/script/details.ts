// The script's title and author in the Script view's header, and the form that edits them.

import type { Script } from '../../api';
import { changedFields, type AppContext } from '../../context';
import { button, h, replace, submitForm } from '../../dom';
import { updateScript } from '../../undo';

type Details = { title?: string; author?: string };

/** The header's title-and-author area; `flush` saves the editor before the shell reloads. */
export class ScriptDetails {
  readonly el = h('div', { class: 'script-details', testid: 'script-details' });
  private editing = false;

  constructor(
    private readonly app: AppContext,
    private readonly flush: () => Promise<boolean>,
  ) {}

  render(): void {
    const script = this.app.script!;
    if (this.editing) this.renderForm(script);
    else this.renderShown(script);
  }

  private toggle(editing: boolean): void {
    this.editing = editing;
    this.render();
  }

  private renderShown(script: Script): void {
    replace(
      this.el,
      h('span', { class: 'details-title', testid: 'script-details-title' }, script.title),
      h('span', { class: 'details-author', testid: 'script-details-author' }, script.author ? `by ${script.author}` : ''),
      button('\u270E', 'script-details-edit', () => this.toggle(true), { kind: 'small', title: 'Edit title and author' }),
    );
  }

  private renderForm(script: Script): void {
    const title = h('input', { testid: 'script-edit-title', class: 'input', props: { value: script.title }, attrs: { type: 'text', 'aria-label': 'Title' } });
    const author = h('input', { testid: 'script-edit-author', class: 'input', props: { value: script.author }, attrs: { type: 'text', 'aria-label': 'Author', placeholder: 'Author' } });
    const form = submitForm(
      {
        class: 'details-form',
        testid: 'script-edit-form',
        onKeydown: (ev) => {
          if (ev.key === 'Escape') {
            ev.preventDefault();
            this.toggle(false);
          }
        },
      },
      () => void this.save(title.value, author.value),
      title,
      author,
      h('button', { testid: 'script-edit-save', class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save'),
      button('Cancel', 'script-edit-cancel', () => this.toggle(false)),
    );
    replace(this.el, form);
    title.focus();
  }

  private async save(title: string, author: string): Promise<void> {
    const script = this.app.script!;
    this.editing = false;
    const { before, after }: { before: Details; after: Details } = changedFields({ title: script.title, author: script.author }, { title, author });
    if (Object.keys(after).length > 0 && (await this.app.edit(updateScript(script.scriptId, before, after))) !== undefined) {
      // The shell shows the title too: let it reload the script (the editor saves first).
      await this.flush();
      await this.app.navigate('script');
      return;
    }
    this.render();
  }
}
