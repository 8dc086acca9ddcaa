import { LatchkeyError } from '../../../shared/errors';
import { MAX_CODE_LENGTH, MAX_CODES_PER_SET } from '../vault/content';
import { codesFromJson } from './recognize-json';

/**
 * Finds backup codes in text as people really get it: pasted from a web page, a provider's JSON
 * answer, or a service's downloaded text file with a heading and a footer around the codes.
 * Lines that read as words (headings, footers, instructions) are skipped and counted; text with no
 * codes at all is refused with a sentence that says why.
 */

/** More than any backup-code file; a bound on what a paste or a dropped file can make us scan. */
export const MAX_RECOGNISED_TEXT = 64 * 1024;

export interface RecognisedCodes {
  codes: string[];
  /** Where the codes were found: plain text lines or a provider's JSON body. */
  from: 'text' | 'json';
  /** Lines that held no codes (a heading, a footer, blank lines excluded). */
  skippedLines: number;
  /** Codes that appeared more than once and were kept once. */
  duplicates: number;
}

/** Breaks between codes on one line: commas, semicolons, tabs, bars, or two or more spaces. */
const STRONG_SEPARATOR = /\s*[,;\t|]\s*|\s{2,}/;
/** A list marker standing on its own: "1.", "12)", "(3)", "#4", "-", "*", "•". */
const LIST_MARKER = /^(?:\(?\d{1,3}[.):]|#\d{1,3}|[-*•–·])$/;
/** A list marker glued to the start of a line: "1.abcd-efgh" is rare, "1. abcd" common; both handled. */
const LEADING_MARKER = /^(?:\(?\d{1,3}[.)]|#\d{1,3}|[-*•–·])(?=\S)/;
const GROUP = /^[A-Za-z0-9]+$/;
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const PLAIN_CODE_MIN = 6;
/** A single token longer than this is a key or a token, not a backup code. */
const PLAIN_CODE_MAX = 24;
const GROUP_MIN = 2;
const GROUP_MAX = 10;
const SPACED_GROUP_MIN = 3;
const SPACED_GROUP_MAX = 5;
const SPACED_GROUPS_MAX = 4;

export function recogniseCodes(text: string): RecognisedCodes {
  if (text.length > MAX_RECOGNISED_TEXT) refuse(`The text is ${Math.ceil(text.length / 1024)} KiB; backup codes fit in far less than ${MAX_RECOGNISED_TEXT / 1024} KiB.`);
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') refuse('There is no text to read codes from.');
  if (/otpauth(?:-migration)?:\/\//i.test(trimmed)) {
    refuse('This is an otpauth:// link: it sets up login codes for an account (add it as an account), it is not a list of backup codes.');
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return finish(codesFromJson(trimmed), 'json', 0);
  const lines = trimmed.split(/\r\n|\r|\n/);
  const codes: string[] = [];
  let skippedLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const found = codesOfLine(line);
    if (found === null) skippedLines += 1;
    else codes.push(...found);
  }
  if (codes.length === 0) refuse(explainNoCodes(trimmed, lines.length));
  return finish(codes, 'text', skippedLines);
}

function finish(found: string[], from: RecognisedCodes['from'], skippedLines: number): RecognisedCodes {
  const codes = [...new Set(found)];
  if (codes.length > MAX_CODES_PER_SET) refuse(`That is ${codes.length} codes; one set holds at most ${MAX_CODES_PER_SET}.`);
  return { codes, from, skippedLines, duplicates: found.length - codes.length };
}

/** The codes of one line, or null when the line is words (a heading, a footer, an instruction). */
function codesOfLine(line: string): string[] | null {
  const whole = codesOfSegments(line);
  if (whole !== null) return whole;
  // "Your recovery code: ABCDE-FGHIJ-..." — words before a colon, codes after it.
  const colon = line.lastIndexOf(':');
  if (colon > 0) return codesOfSegments(line.slice(colon + 1));
  return null;
}

function codesOfSegments(text: string): string[] | null {
  const codes: string[] = [];
  for (const segment of text.trim().replace(LEADING_MARKER, '').split(STRONG_SEPARATOR)) {
    if (segment === '') continue;
    const found = codesOfSegment(segment.trim());
    if (found === null) return null;
    codes.push(...found);
  }
  return codes.length > 0 ? codes : null;
}

/**
 * One stretch of text between strong separators. Single spaces either separate whole codes
 * ("a1b2c3d4 e5f6g7h8") or join the groups of one code ("1234 5678", "xwbwb 07bjt"): short groups
 * of equal length with a digit among them are joined; a word that is neither is not a code.
 */
function codesOfSegment(segment: string): string[] | null {
  const words = segment.split(' ').filter((word) => word !== '');
  const codes: string[] = [];
  let index = 0;
  while (index < words.length) {
    const word = words[index] as string;
    if (LIST_MARKER.test(word)) {
      index += 1;
      continue;
    }
    if (isWholeCode(word)) {
      codes.push(word);
      index += 1;
      continue;
    }
    const run = spacedGroupRun(words, index);
    if (run === 0) return null;
    codes.push(words.slice(index, index + run).join(' '));
    index += run;
  }
  return codes;
}

/** How many words from `start` form one spaced code (0 when they do not). */
function spacedGroupRun(words: string[], start: number): number {
  const first = words[start] as string;
  if (!isSpacedGroup(first)) return 0;
  let end = start + 1;
  while (end < words.length && end - start < SPACED_GROUPS_MAX && isSpacedGroup(words[end] as string) && (words[end] as string).length === first.length) end += 1;
  const run = end - start;
  if (run < 2) return 0;
  return /\d/.test(words.slice(start, end).join('')) ? run : 0;
}

function isSpacedGroup(word: string): boolean {
  return GROUP.test(word) && word.length >= SPACED_GROUP_MIN && word.length <= SPACED_GROUP_MAX;
}

/**
 * A code written as one token: letters and digits with a digit among them ("a1b2c3d4", "12345678"),
 * or groups joined with dashes ("ckss-2skx-ebow", "abcd-efgh"). Words are not codes: a token of
 * letters alone needs dashes between groups of equal length ("abcd-efgh", not "one-time").
 */
export function isWholeCode(token: string): boolean {
  if (token.length > MAX_CODE_LENGTH) return false;
  if (GROUP.test(token)) return token.length >= PLAIN_CODE_MIN && token.length <= PLAIN_CODE_MAX && /\d/.test(token);
  if (DATE_LIKE.test(token)) return false;
  const groups = token.split('-');
  if (groups.length < 2 || groups.some((group) => !GROUP.test(group) || group.length < GROUP_MIN || group.length > GROUP_MAX)) return false;
  if (groups.join('').length < PLAIN_CODE_MIN) return false;
  if (/\d/.test(token)) return true;
  return groups.every((group) => group.length === (groups[0] as string).length);
}

function explainNoCodes(text: string, lineCount: number): string {
  const tokens = text.split(/\s+/);
  if (tokens.length === 1 || (lineCount <= 2 && tokens.some((token) => token.length > PLAIN_CODE_MAX * 2))) {
    const longest = tokens.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length > PLAIN_CODE_MAX) {
      return `It holds one long token of ${longest.length} characters (a key or an access token?), not backup codes, which are short, usually 8 to 16 characters each.`;
    }
  }
  return 'The text reads as words, not codes. Paste the codes themselves, one per line or separated by spaces, commas or tabs.';
}

function refuse(sentence: string): never {
  throw new LatchkeyError('RECOVERY_CODES_NOT_RECOGNISED', sentence);
}
