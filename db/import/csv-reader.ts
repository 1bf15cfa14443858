import { createReadStream } from 'node:fs';

/** One CSV record and the (1-based) line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`line ${line}, field ${column}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Streams an RFC 4180 file as batches of records: quoted fields with commas,
 * doubled quotes and line breaks; CRLF or LF; a leading UTF-8 BOM; blank
 * lines skipped. csv-parse was measured at ~290k records/s once it reports
 * line numbers, which every import error needs; lines without a quote take a
 * split-based fast path here (~3M records/s).
 */
export async function* readCsvRecords(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvChunkParser();
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    onBytes?.(Buffer.byteLength(chunk as string));
    const batch = parser.push(chunk as string);
    if (batch.length > 0) yield batch;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}

/** The incremental parser behind `readCsvRecords`; usable on strings in tests. */
export class CsvChunkParser {
  private buffer = '';
  private line = 1;
  private started = false;

  push(chunk: string): CsvRecord[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buffer = this.buffer.length > 0 ? this.buffer + chunk : chunk;
    return this.drain(false);
  }

  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const text = this.buffer;
    let pos = 0;
    // Cached so that a file with few quotes is not rescanned for each line.
    let quote = -1;
    while (pos < text.length) {
      const newline = text.indexOf('\n', pos);
      if (newline === -1 && !final) break;
      const lineEnd = newline === -1 ? text.length : newline;
      if (quote !== Infinity && quote < pos) {
        quote = text.indexOf('"', pos);
        if (quote === -1) quote = Infinity;
      }
      if (quote >= lineEnd) {
        let end = lineEnd;
        if (end > pos && text.charCodeAt(end - 1) === 13) end--;
        if (end > pos) out.push({ line: this.line, fields: text.slice(pos, end).split(',') });
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      const record = this.parseQuoted(text, pos, final);
      if (record === null) break; // a quoted field runs past the buffered text
      out.push({ line: this.line, fields: record.fields });
      this.line += record.lines;
      pos = record.next;
    }
    this.buffer = pos >= text.length ? '' : text.slice(pos);
    return out;
  }

  /** The full state machine, for a record that has a quote somewhere. */
  private parseQuoted(text: string, start: number, final: boolean): { fields: string[]; next: number; lines: number } | null {
    const fields: string[] = [];
    let pos = start;
    let lines = 1;
    for (;;) {
      if (text.charCodeAt(pos) === 34) {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) {
            if (!final) return null;
            throw new CsvSyntaxError(this.line, fields.length + 1, 'a quoted field is never closed (unbalanced ")');
          }
          value += text.slice(from, close);
          if (close + 1 >= text.length && !final) return null;
          if (text.charCodeAt(close + 1) === 34) {
            value += '"';
            from = close + 2;
            continue;
          }
          pos = close + 1;
          break;
        }
        for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 10) lines++;
        fields.push(value);
      } else {
        let end = pos;
        while (end < text.length) {
          const c = text.charCodeAt(end);
          if (c === 44 || c === 10 || c === 13) break;
          end++;
        }
        if (end >= text.length && !final) return null;
        fields.push(text.slice(pos, end));
        pos = end;
      }
      const c = pos < text.length ? text.charCodeAt(pos) : -1;
      if (c === 44) {
        pos++;
        continue;
      }
      if (c === 13 && text.charCodeAt(pos + 1) === 10) return { fields, next: pos + 2, lines };
      if (c === 13 && pos + 1 >= text.length && !final) return null;
      if (c === 10 || c === 13) return { fields, next: pos + 1, lines };
      if (c === -1) return { fields, next: pos, lines };
      throw new CsvSyntaxError(this.line + lines - 1, fields.length, `unexpected "${text[pos]}" after a closing quote`);
    }
  }
}
