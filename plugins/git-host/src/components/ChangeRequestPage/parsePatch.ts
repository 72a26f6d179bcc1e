/** One row of a unified diff as the diff view shows it. */
export type DiffLine =
  | { kind: 'hunk'; text: string }
  | { kind: 'added'; newLine: number; text: string }
  | { kind: 'removed'; oldLine: number; text: string }
  | { kind: 'context'; oldLine: number; newLine: number; text: string }
  /** `\ No newline at end of file` */
  | { kind: 'note'; text: string };

const hunkHeader = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * The rows of one file's unified diff, with the line numbers on each side.
 * Lines before the first hunk (`diff --git`, `index`, `---`, `+++`) are the
 * file header, which the diff view shows its own way.
 */
export function parsePatch(patch: string): DiffLine[] {
  const lines = patch.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  const rows: DiffLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const line of lines) {
    const hunk = line.match(hunkHeader);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      rows.push({ kind: 'hunk', text: line });
    } else if (!inHunk) {
      continue;
    } else if (line.startsWith('+')) {
      rows.push({ kind: 'added', newLine: newLine++, text: line.slice(1) });
    } else if (line.startsWith('-')) {
      rows.push({ kind: 'removed', oldLine: oldLine++, text: line.slice(1) });
    } else if (line.startsWith('\\')) {
      rows.push({ kind: 'note', text: line.slice(1).trim() });
    } else {
      rows.push({
        kind: 'context',
        oldLine: oldLine++,
        newLine: newLine++,
        text: line.slice(1),
      });
    }
  }
  return rows;
}
