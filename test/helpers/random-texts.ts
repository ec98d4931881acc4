/**
 * Texts made of random runs of `parts`, the same every run (a fixed linear congruential seed): for tests
 * that hold a fast scan to a plain one, on the corner cases the parts combine into.
 */
export function randomTexts(parts: readonly string[], count: number, maxParts = 40, seed = 20261205): string[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const texts: string[] = [];
  for (let sample = 0; sample < count; sample += 1) {
    let text = '';
    const length = Math.floor(random() * maxParts);
    for (let part = 0; part < length; part += 1) text += parts[Math.floor(random() * parts.length)] ?? '';
    texts.push(text);
  }
  return texts;
}
