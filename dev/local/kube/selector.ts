/** Label selectors as the API server parses them for `labelSelector` (the equality-based subset). */

/** Equality-based selectors (`k=v`, `k==v`, `k!=v`, `k`, `!k`), the form `status.selector` uses. */
const parseSelector = (text: string): ((labels: Readonly<Record<string, string>>) => boolean) | undefined => {
  const tests = text
    .split(',')
    .filter((term) => term.trim() !== '')
    .map((term) => {
      const m = /^\s*(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?:(==|=|!=)\s*([-A-Za-z0-9_.]*))?\s*$/.exec(term);
      if (m === null) return undefined;
      const [, not, key = '', op, value] = m;
      if (op === undefined) return (labels: Readonly<Record<string, string>>) => (key in labels) !== (not === '!');
      if (not === '!') return undefined;
      return (labels: Readonly<Record<string, string>>) => (labels[key] === value) === (op !== '!=');
    });
  if (tests.some((t) => t === undefined)) return undefined;
  return (labels) => tests.every((t) => t?.(labels));
};

export { parseSelector };
