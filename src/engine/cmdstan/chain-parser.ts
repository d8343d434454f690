import { CmdStanError } from "../errors.ts";
import { columnKind, csvVariables, type CsvVariable } from "./columns.ts";
import { runComments, type RunComments } from "./comments.ts";
import { EXACT_POWERS_OF_TEN, writeDecimal } from "./decimal.ts";

/** One chain's CSV file, read: its comments, header, and every draw's values. */
export interface ParsedChain {
  file: string;
  comments: RunComments;
  header: string[];
  /** The header's line number (from 1), for messages about it. */
  headerLine: number;
  /** The header's columns gathered into variables. */
  variables: CsvVariable[];
  rows: number;
  /** rows × header.length values, row after row as in the file (warmup draws first, when saved). */
  values: Float64Array;
}

const LF = 10;
const CR = 13;
const HASH = 35;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_E = 69;
const LOWER_E = 101;

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const NAN_TEXT = /^[-+]?nan$/i;
const INFINITY_TEXT = /^([-+]?)inf(inity)?$/i;

/** Whether the four bytes of `v` (little-endian) are all ASCII digits. */
const allDigits = (v: number) => ((v & 0xf0f0f0f0) | ((((v + 0x06060606) | 0) & 0xf0f0f0f0) >>> 4)) === 0x33333333;

/** The number four ASCII digits spell, the first in the low byte of `v`. */
function fourDigits(v: number): number {
  const pairs = ((v & 0x0f0f0f0f) * 10 + ((v & 0x0f0f0f0f) >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

function withLineFeed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = LF;
  return out;
}

/** Rows to make room for when the comments do not say how many draws follow. */
const UNKNOWN_ROWS = 256;

const NOT_CMDSTAN = "Open the CSV files CmdStan's sample method writes (output_1.csv …), or a folder or zip of them; other CSV files are not traces";
const UNEDITED = "Open the CSV files as CmdStan wrote them: a file cut short may be from a run still going, or a copy that stopped early";

/**
 * Reads one CmdStan CSV file handed over in blocks of whole lines (`push`), so the text is never
 * held whole: memory is the values, `rows × columns` float64s, grown as draws come. Numbers are
 * read straight from the bytes (digits gathered, then converted exactly in decimal.ts); only
 * unusual ones (nan, inf, more than 19 digits, subnormals) are decoded as text.
 */
export class ChainParser {
  readonly #file: string;
  readonly #decoder = new TextDecoder();
  #line = 0;
  #commentLines: string[] = [];
  #header?: string[];
  #headerLine = 0;
  #variables: CsvVariable[] = [];
  /** The columns CmdStan writes whole numbers in (tree depth, leapfrog steps), and 0/1 in (divergent). */
  #integerColumns: number[] = [];
  #boolColumns: number[] = [];
  #values = new Float64Array(0);
  #capacity = 0;
  #rows = 0;

  constructor(file: string) {
    this.#file = file;
  }

  /** Whole lines of the file, in order; only the file's last line may lack its line feed. */
  push(block: Uint8Array): void {
    if (block.length === 0) return;
    // Every line ends with a line feed, so the scans below never read past the block.
    const bytes = block[block.length - 1] === LF ? block : withLineFeed(block);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = bytes.length;
    let i = 0;
    while (i < end) {
      const first = bytes[i];
      if (first === HASH || this.#header === undefined) i = this.#textLine(bytes, i);
      else if (first === LF) {
        i++;
        this.#line++;
      } else if (first === CR && bytes[i + 1] === LF) {
        i += 2;
        this.#line++;
      } else i = this.#row(bytes, view, i);
    }
  }

  /** The chain, once every line was pushed. */
  finish(): ParsedChain {
    if (!this.#header) {
      throw new CmdStanError("not-cmdstan", { file: this.#file }, "there is no header row: the file is empty or holds only comments", NOT_CMDSTAN);
    }
    const size = this.#rows * this.#header.length;
    return {
      file: this.#file,
      // The adaptation and timing comments come after the header: read them all now.
      comments: runComments(this.#commentLines),
      header: this.#header,
      headerLine: this.#headerLine,
      variables: this.#variables,
      rows: this.#rows,
      // A file shorter than its comments announced would otherwise keep the room it did not use.
      values: size === this.#values.length ? this.#values : this.#values.slice(0, size),
    };
  }

  /** A comment line, or (before the header) the header or a blank line; returns where the next line starts. */
  #textLine(bytes: Uint8Array, start: number): number {
    let stop = bytes.indexOf(LF, start);
    const next = stop < 0 ? bytes.length : stop + 1;
    if (stop < 0) stop = bytes.length;
    if (stop > start && bytes[stop - 1] === CR) stop--;
    const text = this.#decoder.decode(bytes.subarray(start, stop));
    this.#line++;
    if (bytes[start] === HASH) this.#commentLines.push(text);
    else if (text.trim() !== "") this.#readHeader(text);
    return next;
  }

  #readHeader(text: string): void {
    const where = { file: this.#file, line: this.#line };
    const header = text.split(",").map((name) => name.trim());
    if (!header.includes("lp__")) {
      const start = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      const comments = this.#commentLines.length === 0 ? "no # comments, and " : "";
      throw new CmdStanError("not-cmdstan", where, `this is not CmdStan output: it has ${comments}a first row ('${start}') without CmdStan's lp__ column`, NOT_CMDSTAN);
    }
    const comments = runComments(this.#commentLines);
    if (comments.method !== undefined && comments.method !== "sample") {
      throw new CmdStanError(
        "not-sample",
        where,
        `CmdStan's ${comments.method} method wrote this file, and drawscope reads the draws of its sample method`,
        "Open the output of a sample run (method=sample)",
      );
    }
    this.#variables = csvVariables(header, where);
    this.#header = header;
    this.#headerLine = this.#line;
    this.#integerColumns = header.flatMap((name, k) => (columnKind(name) === "int" ? [k] : []));
    this.#boolColumns = header.flatMap((name, k) => (columnKind(name) === "bool" ? [k] : []));
    this.#reserve(comments.sampling === undefined ? UNKNOWN_ROWS : Math.max(1, comments.sampling + comments.warmup));
  }

  #reserve(rows: number): void {
    const values = new Float64Array(rows * this.#header!.length);
    values.set(this.#values);
    this.#values = values;
    this.#capacity = rows;
  }

  /** One row of numbers starting at `i`; returns where the next line starts. */
  #row(bytes: Uint8Array, view: DataView, i: number): number {
    if (this.#rows === this.#capacity) this.#reserve(this.#capacity * 2);
    const columns = this.#header!.length;
    const last = columns - 1;
    const out = this.#values;
    const base = this.#rows * columns;
    const end = bytes.length;
    this.#line++;
    for (let c = 0; c < columns; c++) {
      const fieldStart = i;
      let b = bytes[i];
      const negative = b === MINUS;
      if (negative || b === PLUS) b = bytes[++i];
      // The digits as an integer w (a double, exact up to 15 digits) and w's low 32 bits
      // exactly in `low`, from which w is rebuilt exactly up to 19 digits; the value is w × 10^q.
      let w = 0;
      let low = 0;
      const integerStart = i;
      while (b >= ZERO && b <= NINE) {
        w = w * 10 + (b - ZERO);
        low = (Math.imul(low, 10) + (b - ZERO)) | 0;
        b = bytes[++i];
      }
      let sawDigits = i > integerStart;
      // Zeros before the first other digit are not significant.
      let significant = w === 0 ? 0 : i - integerStart;
      let q = 0;
      if (b === DOT) {
        b = bytes[++i];
        if (w === 0) {
          const zeros = i;
          while (b === ZERO) b = bytes[++i];
          q = zeros - i;
          sawDigits ||= i > zeros;
        }
        const fractionStart = i;
        // Eight digits at a time while there are eight, then four (a line feed always follows, so reads stay inside).
        while (i + 8 < end) {
          const first = view.getInt32(i, true);
          const second = view.getInt32(i + 4, true);
          if (!(allDigits(first) && allDigits(second))) break;
          const eight = fourDigits(first) * 10000 + fourDigits(second);
          w = w * 1e8 + eight;
          low = (Math.imul(low, 100000000) + eight) | 0;
          i += 8;
        }
        if (i + 4 < end) {
          const four = view.getInt32(i, true);
          if (allDigits(four)) {
            const value4 = fourDigits(four);
            w = w * 1e4 + value4;
            low = (Math.imul(low, 10000) + value4) | 0;
            i += 4;
          }
        }
        b = bytes[i];
        while (b >= ZERO && b <= NINE) {
          w = w * 10 + (b - ZERO);
          low = (Math.imul(low, 10) + (b - ZERO)) | 0;
          b = bytes[++i];
        }
        significant += i - fractionStart;
        q -= i - fractionStart;
        sawDigits ||= i > fractionStart;
      }
      if (sawDigits && (b === LOWER_E || b === UPPER_E)) {
        b = bytes[++i];
        const exponentNegative = b === MINUS;
        if (exponentNegative || b === PLUS) b = bytes[++i];
        const exponentStart = i;
        let exponent = 0;
        while (b >= ZERO && b <= NINE) {
          if (exponent < 100000) exponent = exponent * 10 + (b - ZERO);
          b = bytes[++i];
        }
        if (i === exponentStart) sawDigits = false;
        q += exponentNegative ? -exponent : exponent;
      }
      const delimited = c === last ? b === LF || b === CR : b === COMMA;
      let value = Number.NaN;
      // More than 19 significant digits are left to the text, as are the values writeDecimal cannot vouch for.
      if (sawDigits && delimited && significant <= 19) {
        if (w === 0) value = negative ? -0 : 0;
        else if (significant <= 15 && q >= 0 && q <= 22) value = negative ? -w * EXACT_POWERS_OF_TEN[q] : w * EXACT_POWERS_OF_TEN[q];
        else if (significant <= 15 && q < 0 && q >= -22) value = negative ? -w / EXACT_POWERS_OF_TEN[-q] : w / EXACT_POWERS_OF_TEN[-q];
        else if (writeDecimal(out, base + c, negative, w, low >>> 0, q)) value = out[base + c];
      }
      if (value !== value) {
        i = this.#fieldEnd(bytes, fieldStart);
        value = this.#textValue(bytes, fieldStart, i, c);
        b = bytes[i];
        if (c < last && b !== COMMA) this.#tooFewValues(c + 1);
        if (c === last && b === COMMA) this.#tooManyValues();
      }
      out[base + c] = value;
      if (c < last) i++;
    }
    if (bytes[i] === CR) i++;
    if (bytes[i] === LF) i++;
    this.#checkRow(base);
    this.#rows++;
    return i;
  }

  #fieldEnd(bytes: Uint8Array, start: number): number {
    let i = start;
    while (bytes[i] !== COMMA && bytes[i] !== LF && bytes[i] !== CR) i++;
    return i;
  }

  /** A field the fast path left: nan, inf, more than 19 digits, a subnormal, or not a number at all. */
  #textValue(bytes: Uint8Array, start: number, stop: number, column: number): number {
    const text = this.#decoder.decode(bytes.subarray(start, stop)).trim();
    if (NUMBER_TEXT.test(text)) return Number(text);
    if (NAN_TEXT.test(text)) return Number.NaN;
    const infinity = INFINITY_TEXT.exec(text);
    if (infinity) return infinity[1] === "-" ? -Infinity : Infinity;
    const name = this.#header![column];
    const what =
      text === "" ? `the value of ${name} (column ${column + 1}) is empty` : `the value of ${name} (column ${column + 1}) is '${text.length > 40 ? `${text.slice(0, 40)}…` : text}', not a number`;
    throw new CmdStanError("value", { file: this.#file, line: this.#line }, what, UNEDITED);
  }

  /** The sampler's whole-number and 0/1 columns of the row just read, checked apart from the number loop. */
  #checkRow(base: number): void {
    for (const column of this.#integerColumns) {
      if (!Number.isInteger(this.#values[base + column])) this.#notWritten(column, "a whole number");
    }
    for (const column of this.#boolColumns) {
      const value = this.#values[base + column];
      if (value !== 0 && value !== 1) this.#notWritten(column, "0 or 1");
    }
  }

  #notWritten(column: number, what: string): never {
    const value = this.#values[this.#rows * this.#header!.length + column];
    throw new CmdStanError("value", { file: this.#file, line: this.#line }, `${this.#header![column]} is ${value}, where CmdStan writes ${what}`, UNEDITED);
  }

  #tooFewValues(count: number): never {
    throw new CmdStanError(
      "row-length",
      { file: this.#file, line: this.#line },
      `the row has ${count} value${count === 1 ? "" : "s"}, but the header (line ${this.#headerLine}) has ${this.#header!.length} columns`,
      UNEDITED,
    );
  }

  #tooManyValues(): never {
    throw new CmdStanError("row-length", { file: this.#file, line: this.#line }, `the row has more values than the ${this.#header!.length} columns of the header (line ${this.#headerLine})`, UNEDITED);
  }
}
