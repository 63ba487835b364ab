// Import and export buttons, story bundles and the linked file: the same native dialogs as the
// File menu, opened by the app.

import type { ExportFormat, FileExported, LinkedFile, PdfOptions } from '../api';
import type { AppContext } from '../context';
import { button, h, replace } from '../dom';

export const FORMAT_LABEL: Record<ExportFormat, string> = { fountain: 'Fountain', fdx: 'Final Draft', pdf: 'PDF' };

export const isExportFormat = (name: string): name is ExportFormat => Object.hasOwn(FORMAT_LABEL, name);

export async function importScript(app: AppContext): Promise<void> {
  const summary = await app.attempt(() => app.api.screenplayImportDialog());
  if (!summary) return;
  await app.openScript(summary.scriptId);
  app.notify(`Imported ${summary.sections} scenes, ${summary.characters} characters, ${summary.elements} elements.`);
}

export function importButton(app: AppContext): HTMLButtonElement {
  return button('Import\u2026', 'script-import', () => void importScript(app), { kind: 'ghost', title: 'Import a .fountain or .fdx file' });
}

/** The open script once `save` has saved what the view holds; null (and why) when it can't. */
async function savedScript(app: AppContext, save: () => Promise<boolean>, otherwise: string): Promise<number | null> {
  if (!app.script) {
    app.notify('Open a script first, then export it.');
    return null;
  }
  const scriptId = app.script.scriptId;
  if ((await app.attempt(save)) !== true) {
    app.showError({ code: 'io', message: `The latest edits are not saved yet, so ${otherwise}. Try again once they are saved.` });
    return null;
  }
  return scriptId;
}

/**
 * Exports the open script through the native save dialog. `save` first saves what the view
 * holds unsaved; when it cannot, nothing is exported, so a file never misses the latest edits.
 */
export async function exportScript(app: AppContext, format: ExportFormat, save: () => Promise<boolean> = async () => true, pdf?: PdfOptions): Promise<void> {
  const scriptId = await savedScript(app, save, 'nothing was exported');
  if (scriptId === null) return;
  const options = format === 'pdf' && pdf && (pdf.paper !== 'letter' || pdf.watermark || pdf.header) ? pdf : undefined;
  const exported = await app.attempt(() => app.api.screenplayExportDialog(scriptId, format, options));
  if (exported) app.notify(exportedMessage(exported));
}

/** Where the file went; for a PDF its pages, and every character the font could not print. */
export function exportedMessage(exported: FileExported): string {
  const pages = exported.pages === undefined ? '' : ` (${exported.pages} ${exported.pages === 1 ? 'page' : 'pages'})`;
  const lacking = exported.missing.length === 0 ? '' : `. The font has no ${exported.missing.join(' ')}, so the PDF prints ? in their place.`;
  return `Exported to ${exported.path}${pages}${lacking}`;
}

/** Writes the open script's story bundle (with the active session's score) where the writer says. */
export async function exportBundle(app: AppContext, save: () => Promise<boolean> = async () => true): Promise<void> {
  const scriptId = await savedScript(app, save, 'no bundle was written');
  if (scriptId === null) return;
  const written = await app.attempt(() => app.api.bundleExportDialog(scriptId, app.sessionId));
  if (written) app.notify(`Story bundle saved to ${written.path} (${written.entries.length} files).`);
}

/** Ties the open script to a .fountain file that then follows it both ways. */
export async function linkScript(app: AppContext, save: () => Promise<boolean> = async () => true): Promise<LinkedFile | null> {
  if (!app.script) {
    app.notify('Open a script first, then link it to a file.');
    return null;
  }
  const scriptId = app.script.scriptId;
  if ((await app.attempt(save)) !== true) return null;
  const linked = await app.attempt(() => app.api.scriptLinkDialog(scriptId));
  if (linked) app.notify(`Linked to ${linked.path}: edits there show here, and yours are written there.`);
  return linked ?? null;
}

/** Export buttons for the open script; `save` saves pending editor text first. */
export function exportBar(app: AppContext, save?: () => Promise<boolean>): HTMLElement {
  const paper = h('select', { testid: 'pdf-paper', class: 'input', attrs: { 'aria-label': 'PDF paper' } }, h('option', { attrs: { value: 'letter' } }, 'US Letter'), h('option', { attrs: { value: 'a4' } }, 'A4'));
  const watermark = h('input', { testid: 'pdf-watermark', class: 'input', attrs: { type: 'text', placeholder: 'Watermark (e.g. DRAFT)', 'aria-label': 'PDF watermark' } });
  const header = h('input', { testid: 'pdf-header', class: 'input', attrs: { type: 'text', placeholder: 'Header line', 'aria-label': 'PDF header line' } });
  const pdfOptions = (): PdfOptions => ({
    paper: paper.value === 'a4' ? 'a4' : 'letter',
    ...(watermark.value.trim() ? { watermark: watermark.value.trim() } : {}),
    ...(header.value.trim() ? { header: header.value.trim() } : {}),
  });
  const exportAs = (format: ExportFormat) => exportScript(app, format, save, format === 'pdf' ? pdfOptions() : undefined);
  const formats: ExportFormat[] = ['fountain', 'fdx', 'pdf'];
  return h(
    'div',
    { class: 'export-bar', attrs: { role: 'group', 'aria-label': 'Export' } },
    h('span', { class: 'export-label' }, 'Export'),
    formats.map((f) => button(FORMAT_LABEL[f], `script-export-${f}`, () => void exportAs(f), { kind: 'small', title: `Export as ${FORMAT_LABEL[f]}` })),
    h('details', { class: 'pdf-options', testid: 'pdf-options' }, h('summary', null, 'PDF options'), paper, watermark, header),
    button('Story bundle', 'script-export-bundle', () => void exportBundle(app, save), { kind: 'small', title: 'The whole story as one .fountainai file: script, characters, sessions, versions and score' }),
  );
}

/** "Linked to PATH" with Unlink, or "Link to File…": drawn again whenever the link changes. */
export function linkBar(app: AppContext, save?: () => Promise<boolean>): { el: HTMLElement; refresh: () => Promise<void> } {
  const el = h('div', { class: 'link-bar', testid: 'link-bar', attrs: { role: 'group', 'aria-label': 'Linked file' } });
  const draw = (linked: LinkedFile | null): void => {
    if (linked) {
      replace(
        el,
        h('span', { class: 'linked-path muted', testid: 'linked-path', attrs: { title: linked.path } }, `Linked to ${linked.path}`),
        button('Unlink', 'script-unlink', () => void unlink(), { kind: 'small', title: 'Stop following the file (the file and the script both stay)' }),
      );
    } else {
      replace(el, button('Link to File\u2026', 'script-link', () => void link(), { kind: 'small', title: 'Follow a .fountain file on disk both ways' }));
    }
  };
  const refresh = async (): Promise<void> => {
    const scriptId = app.script?.scriptId;
    if (scriptId === undefined) return draw(null);
    draw((await app.attempt(() => app.api.scriptLinked(scriptId))) ?? null);
  };
  const link = async (): Promise<void> => {
    if (await linkScript(app, save)) await refresh();
  };
  const unlink = async (): Promise<void> => {
    const scriptId = app.script?.scriptId;
    if (scriptId === undefined) return;
    const gone = await app.attempt(() => app.api.scriptUnlink(scriptId));
    if (gone) app.notify(`No longer linked to ${gone.path}; the file stays as it is.`);
    await refresh();
  };
  return { el, refresh };
}
