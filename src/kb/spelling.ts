/*
 * Typo repair for questions. MiniSearch's own fuzzy match compares stems, and a misspelt word never reaches its
 * synonym or its stem ("crashign" is three edits from "crash"). So a question word that neither the articles nor the
 * term rules know is swapped, before stemming, for the closest known word when it is one slip away (two for long
 * words), a swap of neighbouring letters counting as one slip.
 */

const MIN_LENGTH = 5;
const LONG_WORD = 8;

export class SpellingCorrector {
  /** Known word -> how many times it appears, to break ties toward the common word. */
  private readonly counts = new Map<string, number>();
  private readonly cache = new Map<string, string>();

  constructor(words: Iterable<string>) {
    for (const word of words) this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
  }

  correct(token: string): string {
    if (token.length < MIN_LENGTH || this.counts.has(token) || !/^[a-z]+$/.test(token)) return token;
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    const limit = token.length >= LONG_WORD ? 2 : 1;
    let best = token;
    let bestDistance = limit + 1;
    let bestCount = 0;
    for (const [word, count] of this.counts) {
      if (Math.abs(word.length - token.length) > limit || word.length < MIN_LENGTH - 1) continue;
      const d = editDistance(token, word, limit);
      if (d > limit) continue;
      if (d < bestDistance || (d === bestDistance && count > bestCount)) {
        best = word;
        bestDistance = d;
        bestCount = count;
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, best);
    return best;
  }
}

/** Optimal string alignment distance (insert, delete, substitute, swap neighbours); stops early past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
