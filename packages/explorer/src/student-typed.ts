/**
 * A student's typed entries in the link (`typed=…`), so a reload loses nothing: each matrix as
 * `<exercise>.<answer name>=<rows>`, matrices separated by ';', rows by '~', entries by ',', each entry as typed
 * (a '%', ',', ';', '~' or '=' in it written %XX). E.g. `1.N_1=2,-1;2.gradW_1=0,0~-3/2,3/2`.
 */

/** Typed grids by "<exercise>.<answer name>" ("2.D_1"), rows of entries as typed. */
export type TypedEntries = Map<string, string[][]>;

const escapeEntry = (t: string) => t.replace(/[%,;~=]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** The link's text for the typed entries (the grids in the map's order). */
export function encodeTyped(typed: TypedEntries): string {
  return [...typed]
    .map(([name, rows]) => `${name}=${rows.map((row) => row.map(escapeEntry).join(',')).join('~')}`)
    .join(';');
}

/** The typed entries of a link's text; undefined when the text is not of that form (the link was cut or edited). */
export function decodeTyped(text: string): TypedEntries | undefined {
  const out: TypedEntries = new Map();
  if (text === '') return out;
  for (const part of text.split(';')) {
    const m = /^(\d+\.(?:f|(?:N|S|dS|D|gradW)_\d+))=(.*)$/s.exec(part);
    if (!m) return undefined;
    try {
      const rows = m[2]!.split('~').map((row) => row.split(',').map(decodeURIComponent));
      if (rows.some((r) => r.length !== rows[0]!.length)) return undefined;
      out.set(m[1]!, rows);
    } catch {
      return undefined; // a '%' not followed by two hex digits
    }
  }
  return out;
}
