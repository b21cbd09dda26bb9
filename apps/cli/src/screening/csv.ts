/**
 * RFC 4180 CSV: fields separated by commas (or `delimiter`), optionally quoted with `"`, a quote
 * inside a quoted field doubled, line breaks inside quoted fields kept; CRLF or LF rows; a UTF-8
 * byte-order mark (Excel's exports) dropped. Returns rows of fields; a last empty line is no row.
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('unterminated quoted field at the end of the file');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const NEEDS_QUOTES = /[",\r\n]|^[=+\-@\t]/;

/**
 * One CSV field. Quoted when it holds a comma, quote or line break; a field that a spreadsheet
 * would read as a formula (`=`, `+`, `-`, `@`, tab first) is prefixed with `'` (OWASP CSV injection):
 * a report's values come from applicants.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t]/.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
