/**
 * Every message that repeats a piece of the input goes through here, so no input can flood a
 * terminal or a log line (a 119 MB key), break it into several lines, or hide text behind control
 * or bidirectional-override characters: the echo is truncated and those characters are escaped.
 */

/** Characters echoed at most; enough for any real name, URL or value. */
const ECHO_MAX = 80;

/** C0 and C1 controls, DEL, line/paragraph separators and the bidi embedding/override/isolate marks. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeUnsafe = (text: string): string =>
  text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);

/** The first `max` characters (code points, so no surrogate pair is cut) and how long the whole was (UTF-16 units). */
const cut = (text: string, max: number): { readonly head: string; readonly note: string } => {
  if (text.length <= max) return { head: text, note: '' };
  // Only the start is split into code points: the input may be megabytes long.
  const chars = [...text.slice(0, 2 * max)];
  return chars.length <= max ? { head: text, note: '' } : { head: chars.slice(0, max).join(''), note: `… (${text.length} characters)` };
};

/**
 * Input text as it may appear in a message, unquoted: `ScaledObjet`, `a\nb`, `xxxx… (5000000 characters)`.
 *
 * @example
 * `this is a ${echo(kind)}`
 */
const echo = (text: string, max = ECHO_MAX): string => {
  const { head, note } = cut(text, max);
  return `${escapeUnsafe(head)}${note}`;
};

/** Input text in double quotes (`"5"` reads as text, `""` is visible); quotes and backslashes escaped as in JSON. */
const quote = (text: string, max = ECHO_MAX): string => {
  const { head, note } = cut(text, max);
  return `"${escapeUnsafe(head.replace(/[\\"]/g, '\\$&'))}"${note}`;
};

export { echo, quote };
