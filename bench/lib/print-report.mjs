const goalText = (f) => (f.goal === null ? '—' : `${f.op === '<=' ? '≤' : '≥'} ${f.goal.toFixed(2)}`);
const resultText = (f) => (f.goal === null ? 'info' : f.pass ? 'PASS' : 'MISS');

/** The summary table (one row per figure), then each benchmark's raw numbers. */
export function formatReport(results) {
  const rows = results.flatMap((r) =>
    r.error
      ? [[r.id, 'error', '', 'ERROR']]
      : r.figures.map((f) => [f.label, f.value.toFixed(2), goalText(f), resultText(f)]),
  );
  const header = ['figure', 'value', 'goal', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format), ''];
  for (const r of results) {
    out.push(`${r.title ?? r.id}`);
    if (r.error) out.push(`  error: ${r.error}`);
    else for (const line of r.lines) out.push(`  ${line}`);
    out.push('');
  }
  return out.join('\n');
}
