import type { ClassificationScores, ClassScores } from '../../wire/training/index.js';

/**
 * Accuracy, per-class precision/recall/F1 and the confusion matrix (`[actual][predicted]`). A class
 * never predicted has precision 0 (and so F1 0), as scikit-learn's default. Macro averages run over
 * the classes that occur in the split or its predictions, so a class absent from both cannot drag
 * them down.
 */
export function classificationScores(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: readonly string[],
): ClassificationScores {
  const k = classes.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const p = predicted[i] as number;
    (confusion[a] as number[])[p] = ((confusion[a] as number[])[p] as number) + 1;
    if (a === p) correct++;
  }
  const perClass = classes.map((label, c): ClassScores => {
    const truePositives = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((s, n) => s + n, 0);
    const predictedAs = confusion.reduce((s, row) => s + (row[c] as number), 0);
    const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  const seen = perClass.filter((s, c) => s.support > 0 || confusion.some((row) => (row[c] as number) > 0));
  const mean = (pick: (s: ClassScores) => number) =>
    seen.length === 0 ? 0 : seen.reduce((s, c) => s + pick(c), 0) / seen.length;
  return {
    accuracy: actual.length === 0 ? 0 : correct / actual.length,
    macroPrecision: mean((s) => s.precision),
    macroRecall: mean((s) => s.recall),
    macroF1: mean((s) => s.f1),
    perClass,
    confusion,
  };
}
