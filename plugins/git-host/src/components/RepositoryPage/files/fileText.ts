import { RepositoryFile } from '../../../api';

/** What the file view can show of a file. */
export type FileText =
  | { kind: 'text'; lines: string[] }
  | { kind: 'binary' }
  | { kind: 'too-large' };

function base64Bytes(content: string): Uint8Array {
  const binary = atob(content.replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/**
 * A file's lines, or why there are none to show. Like git, a NUL byte near
 * the start means binary; so does content that is not UTF-8.
 */
export function fileText(file: RepositoryFile): FileText {
  if (file.too_large) {
    return { kind: 'too-large' };
  }
  const bytes = base64Bytes(file.content ?? '');
  if (bytes.subarray(0, 8000).includes(0)) {
    return { kind: 'binary' };
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'binary' };
  }
  if (text === '') {
    return { kind: 'text', lines: [] };
  }
  const lines = text.split(/\r?\n/);
  // The newline that ends the last line starts no line of its own.
  if (lines[lines.length - 1] === '') lines.pop();
  return { kind: 'text', lines };
}

/** A size as people read it: "512 B", "3.4 KB", "1.2 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
