import { parsePatch } from './parsePatch';

describe('parsePatch', () => {
  it('numbers the lines of each side from the hunk headers', () => {
    const patch = [
      '@@ -1,3 +1,3 @@ export function pay()',
      ' const a = 1;',
      '-const b = 2;',
      '+const b = 3;',
      ' const c = 4;',
      '@@ -10,2 +10,3 @@',
      ' x',
      '+y',
      '',
    ].join('\n');

    expect(parsePatch(patch)).toEqual([
      { kind: 'hunk', text: '@@ -1,3 +1,3 @@ export function pay()' },
      { kind: 'context', oldLine: 1, newLine: 1, text: 'const a = 1;' },
      { kind: 'removed', oldLine: 2, text: 'const b = 2;' },
      { kind: 'added', newLine: 2, text: 'const b = 3;' },
      { kind: 'context', oldLine: 3, newLine: 3, text: 'const c = 4;' },
      { kind: 'hunk', text: '@@ -10,2 +10,3 @@' },
      { kind: 'context', oldLine: 10, newLine: 10, text: 'x' },
      { kind: 'added', newLine: 11, text: 'y' },
    ]);
  });

  it('leaves out the file header and keeps the no-newline note', () => {
    const patch = [
      'diff --git a/README.md b/README.md',
      'new file mode 100644',
      'index 0000000..e69de29',
      '--- /dev/null',
      '+++ b/README.md',
      '@@ -0,0 +1 @@',
      '+# Shop',
      '\\ No newline at end of file',
    ].join('\n');

    expect(parsePatch(patch)).toEqual([
      { kind: 'hunk', text: '@@ -0,0 +1 @@' },
      { kind: 'added', newLine: 1, text: '# Shop' },
      { kind: 'note', text: 'No newline at end of file' },
    ]);
  });

  it('reads a removed line that looks like a file header as removed', () => {
    expect(parsePatch('@@ -1 +0,0 @@\n--- a line of dashes')).toEqual([
      { kind: 'hunk', text: '@@ -1 +0,0 @@' },
      { kind: 'removed', oldLine: 1, text: '-- a line of dashes' },
    ]);
  });

  it('treats an empty line inside a hunk as an empty context line', () => {
    expect(parsePatch('@@ -1,2 +1,2 @@\n\n a')).toEqual([
      { kind: 'hunk', text: '@@ -1,2 +1,2 @@' },
      { kind: 'context', oldLine: 1, newLine: 1, text: '' },
      { kind: 'context', oldLine: 2, newLine: 2, text: 'a' },
    ]);
  });
});
