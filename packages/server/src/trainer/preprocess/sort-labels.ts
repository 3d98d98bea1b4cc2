/**
 * Class labels and one-hot categories in a stable order: numerically when every one reads as a
 * number ("2" before "10"), else by UTF-16 code units (independent of the machine's locale).
 */
export function sortLabels(labels: Iterable<string>): string[] {
  const unique = [...new Set(labels)];
  const numeric = unique.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return unique.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The text a cell stands for as a class or category (`4` → "4"). */
export function labelOf(cell: number | string): string {
  return typeof cell === 'number' ? String(cell) : cell;
}
