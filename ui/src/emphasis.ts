// Fountain emphasis as styled text: ***bold italic***, **bold**, *italic*, _underline_, with
// \* and \_ for literal markers. Only ever text nodes inside spans, never HTML; a marker with
// no partner on the same line stays as written.

const MARKERS = [
  { mark: '***', classes: ['em-bold', 'em-italic'] },
  { mark: '**', classes: ['em-bold'] },
  { mark: '*', classes: ['em-italic'] },
  { mark: '_', classes: ['em-underline'] },
];

/** Where `mark` closes after `from` on the same line, not escaped; -1 if it does not. */
function closing(text: string, mark: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return -1;
    if (c === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(mark, i) && i > from && !(mark === '*' && text[i + 1] === '*')) return i;
  }
  return -1;
}

/** The text as nodes: plain runs as text nodes, emphasis as spans with classes. */
export function emphasised(text: string): Node[] {
  const nodes: Node[] = [];
  let plain = '';
  const flush = () => {
    if (plain) nodes.push(document.createTextNode(plain));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '*' || text[i + 1] === '_')) {
      plain += text[i + 1];
      i++;
      continue;
    }
    const marker = MARKERS.find((m) => text.startsWith(m.mark, i));
    const end = marker ? closing(text, marker.mark, i + marker.mark.length) : -1;
    if (!marker || end < 0) {
      plain += c;
      continue;
    }
    flush();
    const span = document.createElement('span');
    span.classList.add(...marker.classes);
    span.append(...emphasised(text.slice(i + marker.mark.length, end)));
    nodes.push(span);
    i = end + marker.mark.length - 1;
  }
  flush();
  return nodes;
}
