/** A markdown table; `align` has one of 'l' or 'r' per column. */
export function table(headers, rows, align = headers.map(() => 'l')) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    line(headers),
    line(align.map((side) => (side === 'r' ? '---:' : '---'))),
    ...rows.map((row) => line(row.map((cell) => String(cell)))),
  ].join('\n');
}
