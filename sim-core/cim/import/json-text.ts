/**
 * JSON.parse with an error that names the file, the line and column, and the feature the parser was in.
 */
import { CimError } from '../errors.ts';

/** 1-based line and column of character offset `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(pos, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}

const FEATURE_START = /"type"\s*:\s*"Feature"/g;

/**
 * Offset of the first JSON syntax error in `text` (text.length when the text ends early). V8 does not
 * give a position for every error ("Unexpected token '}', …"), so we find it with a small scanner that
 * only runs once parsing has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const str = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail();
      if (c === 92) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') str();
    else {
      const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    return i < n ? i : n;
  } catch (e) {
    return typeof e === 'number' ? Math.min(e, n) : n;
  }
}

/**
 * Parses JSON text. On a syntax error throws a {@link CimError} with record `line L, column C` (and,
 * for GeoJSON, the index of the feature the error is in or after) and field `JSON syntax`.
 */
export function parseJsonText(input: string, file: string): unknown {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // a byte-order mark is not JSON
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, pos);
    let features = 0;
    FEATURE_START.lastIndex = 0;
    while (FEATURE_START.exec(text) && FEATURE_START.lastIndex <= pos) features++;
    const where = features > 0 ? ` (in or after feature ${features - 1})` : '';
    const reason = msg.replace(/ (in JSON )?at position \d+[\s\S]*$/, '').replace(/^(Unexpected token .+?), (\.\.\.)?"[\s\S]*$/, '$1');
    throw new CimError(`broken JSON: ${reason}${pos >= text.length ? ' (the file ends early: truncated?)' : ''}`, {
      file,
      record: `line ${line}, column ${column}${where}`,
      field: 'JSON syntax',
    });
  }
}
