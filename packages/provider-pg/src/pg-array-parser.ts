/** A parsed array literal: nested arrays of element texts (NULL as `null`). */
export type PgArrayElements = Array<string | null | PgArrayElements>;

/**
 * Parses PostgreSQL's text output of an array (`{1,NULL,"a,b",{…}}`, optionally prefixed by bounds such as
 * `[0:1]=`) and converts each non-NULL element with `parseElement`. Multi-dimensional arrays become nested arrays.
 */
export function parsePgArray<T>(text: string, parseElement: (element: string) => T): unknown[] {
  let position = 0;
  if (text.startsWith('[')) position = text.indexOf('=') + 1;

  const parseLevel = (): unknown[] => {
    // text[position] is '{'
    position += 1;
    const items: unknown[] = [];
    if (text[position] === '}') {
      position += 1;
      return items;
    }
    for (;;) {
      const character = text[position];
      if (character === '{') {
        items.push(parseLevel());
      } else if (character === '"') {
        position += 1;
        let value = '';
        while (position < text.length && text[position] !== '"') {
          if (text[position] === '\\') position += 1;
          value += text[position] ?? '';
          position += 1;
        }
        position += 1;
        items.push(parseElement(value));
      } else {
        const start = position;
        while (position < text.length && text[position] !== ',' && text[position] !== '}') position += 1;
        const raw = text.slice(start, position);
        items.push(raw === 'NULL' ? null : parseElement(raw));
      }
      const separator = text[position];
      position += 1;
      if (separator !== ',') return items;
    }
  };

  if (text[position] !== '{') throw new Error(`Invalid array literal: ${text.slice(0, 40)}`);
  return parseLevel();
}
