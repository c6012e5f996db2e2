/**
 * A prefix tsquery from what a person typed: every word must match, each as a prefix, so "fit"
 * finds "fitness". Words are reduced to letters and digits, so no input is a tsquery syntax error.
 */
export function prefixQuery(q: string): string | undefined {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  return words.length > 0 ? words.map((w) => `${w}:*`).join(' & ') : undefined;
}

/** A substring ILIKE pattern, LIKE wildcards escaped, so a search for "50%" means the text "50%". */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
