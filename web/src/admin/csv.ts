// A small RFC 4180 reader for the SIMPEG import: records (quoted fields may hold commas,
// quotes and line breaks) with their line numbers, and the plan of an import in chunks so the
// screen can show real progress: supervisors in the file go in a chunk before their staff.

export interface CsvRecord {
  /** Line of the file where the record starts (the header is line 1). */
  line: number;
  /** The record as written in the file (without its line break). */
  raw: string;
  fields: string[];
}

export function readCsv(text: string): { header: string; records: CsvRecord[] } {
  const source = text.replace(/^\uFEFF/, '');
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  const finish = (end: number) => {
    fields.push(field);
    out.push({ line: startLine, raw: source.slice(start, end), fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      const end = i;
      if (c === '\r' && source[i + 1] === '\n') i += 1;
      finish(end);
      line += 1;
      start = i + 1;
      startLine = line;
    } else field += c;
  }
  if (start < source.length) finish(source.length);
  const [head, ...rest] = out.filter((r) => r.raw.trim() !== '');
  return { header: head?.raw ?? '', records: rest };
}

/**
 * The records in an order where a supervisor (`nip_atasan`) present in the file comes before
 * the people who report to them, cut into chunks of `size`; each chunk is a CSV of its own.
 */
export function importChunks(text: string, size: number): { header: string; chunks: CsvRecord[][] } {
  const { header, records } = readCsv(text);
  const columns = header.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const nipAt = columns.indexOf('nip');
  const bossAt = columns.indexOf('nip_atasan');
  const byNip = new Map(records.map((r) => [(r.fields[nipAt] ?? '').trim(), r] as const));
  const depth = new Map<CsvRecord, number>();
  const depthOf = (r: CsvRecord, seen: Set<CsvRecord>): number => {
    const known = depth.get(r);
    if (known !== undefined) return known;
    const boss = byNip.get((r.fields[bossAt] ?? '').trim());
    // A cycle is the server's to report: such rows keep depth 0.
    const d = boss && boss !== r && !seen.has(boss) ? depthOf(boss, new Set([...seen, r])) + 1 : 0;
    depth.set(r, d);
    return d;
  };
  const ordered = nipAt < 0 || bossAt < 0 ? records : [...records].sort((x, y) => depthOf(x, new Set()) - depthOf(y, new Set()) || x.line - y.line);
  const chunks: CsvRecord[][] = [];
  for (let i = 0; i < ordered.length; i += size) chunks.push(ordered.slice(i, i + size));
  return { header, chunks };
}
