// 7. Reports: the open script's figures (per character, scene, location, totals) as tables
// and as charts a writer would rather look at: dialogue share per character, a strip of the
// scenes coloured by mood (the score's shape), scenes per location. Charts are SVG built from
// text nodes; each exports as SVG or PNG, each table as CSV (from the core).

import type { MoodRow, ReportTable, ScriptReport } from '../api';
import type { AppContext, View } from '../context';
import { button, h, replace, viewRoot } from '../dom';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const BAR = 18;

/** A colour per mood of the table; a mood the table does not know is neutral's grey. */
export const MOOD_COLOURS: Record<string, string> = {
  joy: '#f2b705',
  tenderness: '#e88fb0',
  longing: '#6c8ebf',
  sadness: '#4a5a7a',
  fear: '#7b3fa0',
  anger: '#c0392b',
  neutral: '#c8c8c8',
};

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** Which row of the mood table a scene's mood names (synonyms included). */
export function moodRow(mood: string | undefined, table: MoodRow[]): string {
  const wanted = (mood ?? '').trim().toLowerCase();
  if (!wanted) return 'neutral';
  const row = table.find((m) => m.mood === wanted || m.synonyms.includes(wanted));
  return row?.mood ?? 'neutral';
}

/** Horizontal bars with a label and a value each. */
export function barChart(testid: string, title: string, rows: { label: string; value: number; text: string }[]): SVGSVGElement {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const labelWidth = 180;
  const height = 30 + rows.length * (BAR + 6);
  const bars = rows.map((r, i) => {
    const y = 24 + i * (BAR + 6);
    const w = Math.max(1, Math.round(((WIDTH - labelWidth - 70) * r.value) / max));
    return svg('g', { 'data-testid': `${testid}-bar` }, svg('text', { x: labelWidth - 8, y: y + 13, 'text-anchor': 'end', 'font-size': 12 }, r.label), svg('rect', { x: labelWidth, y, width: w, height: BAR, fill: '#3d6fb6' }), svg('text', { x: labelWidth + w + 6, y: y + 13, 'font-size': 12 }, r.text));
  });
  return svg('svg', { 'data-testid': testid, class: 'report-chart', xmlns: SVG, width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': title }, svg('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }), svg('text', { x: 4, y: 15, 'font-size': 13, 'font-weight': 'bold' }, title), ...bars);
}

/** The scenes across the script, each as wide as its length, coloured by mood. */
export function moodStrip(report: ScriptReport, table: MoodRow[]): SVGSVGElement {
  const scenes = report.scenes.filter((s) => s.eighths > 0);
  const total = Math.max(1, scenes.reduce((n, s) => n + s.eighths, 0));
  const height = 90;
  let x = 0;
  const rects = scenes.map((s) => {
    const w = ((WIDTH - 8) * s.eighths) / total;
    const mood = moodRow(s.mood, table);
    const rect = svg('rect', { x: 4 + x, y: 24, width: Math.max(0.5, w), height: 40, fill: MOOD_COLOURS[mood] ?? MOOD_COLOURS['neutral']!, 'data-testid': 'mood-strip-scene', 'data-mood': mood }, svg('title', {}, `${s.opening ? 'Opening' : `${s.number}. ${s.title}`}: ${s.mood ?? 'no mood'}`));
    x += w;
    return rect;
  });
  const legend = Object.entries(MOOD_COLOURS).map(([mood, colour], i) => svg('g', {}, svg('rect', { x: 4 + i * 90, y: 72, width: 10, height: 10, fill: colour }), svg('text', { x: 18 + i * 90, y: 81, 'font-size': 11 }, mood)));
  return svg('svg', { 'data-testid': 'mood-strip', class: 'report-chart', xmlns: SVG, width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Scenes coloured by mood' }, svg('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }), svg('text', { x: 4, y: 15, 'font-size': 13, 'font-weight': 'bold' }, 'The score\u2019s shape: scenes by mood'), ...rects, ...legend);
}

function svgText(chart: SVGSVGElement): string {
  return new XMLSerializer().serializeToString(chart);
}

async function pngOf(chart: SVGSVGElement): Promise<Blob | null> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(chart))}`;
  await image.decode();
  const canvas = h('canvas', { attrs: { width: chart.width.baseVal.value, height: chart.height.baseVal.value } });
  canvas.getContext('2d')?.drawImage(image, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

function table(testid: string, head: string[], rows: (string | number)[][]): HTMLElement {
  return h('table', { class: 'report-table', testid }, h('thead', null, h('tr', null, head.map((t) => h('th', { attrs: { scope: 'col' } }, t)))), h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, String(c)))))));
}

export function createReportsView(app: AppContext): View {
  const host = h('div', { class: 'reports-host', testid: 'reports-host' });
  const el = viewRoot('view-reports', 'Reports', host);
  let moods: MoodRow[] | null = null;

  /** Saves through the app's native dialog: a webview's download link would go nowhere a writer sees. */
  async function save(name: string, data: Blob | string | null): Promise<void> {
    if (data === null) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(await data.arrayBuffer());
    const path = await app.attempt(() => app.api.reportSaveDialog(name, bytes));
    if (path) app.notify(`Saved to ${path}`);
  }

  function chartCard(chart: SVGSVGElement, name: string): HTMLElement {
    return h(
      'div',
      { class: 'card' },
      chart,
      h(
        'div',
        { class: 'row-actions' },
        button('SVG', `${name}-export-svg`, () => void save(`${name}.svg`, svgText(chart)), { kind: 'small', title: 'Save the chart as SVG' }),
        button('PNG', `${name}-export-png`, () => void pngOf(chart).then((png) => save(`${name}.png`, png)), { kind: 'small', title: 'Save the chart as PNG' }),
      ),
    );
  }

  function csvButton(which: ReportTable, scriptId: number): HTMLElement {
    return button(`${which} CSV`, `report-csv-${which}`, () => void app.attempt(() => app.api.reportCsv(scriptId, app.sessionId, which)).then((csv) => save(`${which}.csv`, csv ?? null)), { kind: 'small', title: `Save the ${which} table as CSV` });
  }

  function render(r: ScriptReport, table_: MoodRow[]): void {
    const t = r.totals;
    replace(
      host,
      h(
        'div',
        { class: 'card' },
        h('h2', { class: 'card-title' }, `Report \u2014 ${r.title}`),
        h(
          'div',
          { class: 'report-totals', testid: 'report-totals' },
          h('span', { testid: 'report-pages' }, `${t.pages} pages`),
          h('span', null, `${t.scenes} scenes`),
          h('span', null, `${t.speakingParts} speaking parts`),
          h('span', null, `about ${t.runtimeMinutes} min`),
        ),
        h('p', { class: 'muted' }, 'Lengths are measured on the printed page (as the PDF paginates a Letter page), in eighths; a minute a page.'),
      ),
      chartCard(barChart('dialogue-chart', 'Share of dialogue', r.characters.slice(0, 15).map((c) => ({ label: c.name, value: c.dialogueShare, text: `${c.dialogueShare}%` }))), 'dialogue-share'),
      chartCard(moodStrip(r, table_), 'mood-strip'),
      chartCard(barChart('location-chart', 'Scenes per location', r.locations.slice(0, 15).map((l) => ({ label: l.location, value: l.scenes, text: String(l.scenes) }))), 'locations'),
      h(
        'div',
        { class: 'card' },
        h('h2', { class: 'card-title' }, 'Characters'),
        table('report-characters', ['Name', 'Lines', 'Words', 'Scenes', 'Share %', 'First', 'Last'], r.characters.map((c) => [c.name, c.lines, c.words, c.scenes, c.dialogueShare, c.firstScene, c.lastScene])),
        h('h2', { class: 'card-title' }, 'Scenes'),
        table('report-scenes', ['#', 'Heading', 'Eighths', 'Speakers', 'Location', 'Time', 'Mood'], r.scenes.map((s) => [s.opening ? '' : s.number, s.opening ? 'Opening' : s.title, s.eighths, s.speakers.join(', '), s.location, s.timeOfDay, s.mood ?? ''])),
        h('h2', { class: 'card-title' }, 'Locations'),
        table('report-locations', ['Location', 'Scenes', 'Eighths'], r.locations.map((l) => [l.location, l.scenes, l.eighths])),
        h('div', { class: 'row-actions' }, csvButton('characters', r.scriptId), csvButton('scenes', r.scriptId), csvButton('locations', r.scriptId)),
      ),
    );
  }

  async function refresh(): Promise<void> {
    if (!app.script) {
      replace(host, h('div', { class: 'empty' }, 'Open a script to see its report.'));
      return;
    }
    const [report, table_] = await Promise.all([app.api.reportGet(app.script.scriptId, app.sessionId), moods ?? app.api.musicMoods()]);
    moods = table_;
    render(report, table_);
  }

  return { el, refresh };
}
