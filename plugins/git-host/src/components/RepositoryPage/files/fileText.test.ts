import { RepositoryFile } from '../../../api';
import { fileText, formatSize } from './fileText';

const file = (content: string | undefined, extra = {}): RepositoryFile => ({
  type: 'file',
  name: 'f',
  path: 'f',
  sha: 'abc',
  size: 10,
  encoding: 'base64',
  content,
  ...extra,
});

const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
const utf8 = (text: string) => base64([...new TextEncoder().encode(text)]);

describe('fileText', () => {
  it('splits UTF-8 text into lines, without an empty last one', () => {
    expect(fileText(file(utf8('# Shop\r\n\nZahlungen – €\n')))).toEqual({
      kind: 'text',
      lines: ['# Shop', '', 'Zahlungen – €'],
    });
  });

  it('reads base64 that git wrapped over several lines', () => {
    const wrapped = utf8('hello world, a longer line').replace(
      /(.{8})/g,
      '$1\n',
    );
    expect(fileText(file(wrapped))).toEqual({
      kind: 'text',
      lines: ['hello world, a longer line'],
    });
  });

  it('has no lines for an empty file', () => {
    expect(fileText(file(''))).toEqual({ kind: 'text', lines: [] });
  });

  it('calls content with a NUL byte binary', () => {
    expect(
      fileText(file(base64([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))),
    ).toEqual({
      kind: 'binary',
    });
  });

  it('calls content that is not UTF-8 binary', () => {
    expect(fileText(file(base64([0xff, 0xfe, 0x41])))).toEqual({
      kind: 'binary',
    });
  });

  it('says when the git host left the content out as too large', () => {
    expect(fileText(file(undefined, { too_large: true }))).toEqual({
      kind: 'too-large',
    });
  });
});

describe('formatSize', () => {
  it.each([
    [512, '512 B'],
    [3482, '3.4 KB'],
    [1258291, '1.2 MB'],
  ])('writes %d bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
