/** A commit's first line. */
export function commitSubject(message: string): string {
  return message.split('\n', 1)[0];
}

/** The seven characters git shows for a commit. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
