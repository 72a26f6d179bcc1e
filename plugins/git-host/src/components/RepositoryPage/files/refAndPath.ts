/**
 * The branch and path a `src/:ref/<path>` URL means. A ref is one URL
 * segment, `feature%2Fx` for `feature/x`; a link that spells the slash
 * (`src/feature/x/README.md`) means the longest branch it begins with.
 */
export function refAndPath(
  branchNames: string[],
  ref: string,
  path: string,
): { ref: string; path: string } {
  const segments = path.split('/').filter(Boolean);
  if (!branchNames.includes(ref)) {
    for (let taken = segments.length; taken > 0; taken--) {
      const candidate = [ref, ...segments.slice(0, taken)].join('/');
      if (branchNames.includes(candidate)) {
        return { ref: candidate, path: segments.slice(taken).join('/') };
      }
    }
  }
  return { ref, path: segments.join('/') };
}
