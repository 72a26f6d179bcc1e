import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import { Commit, gitHostApiRef, RepositoryLocator } from '../../api';

const PAGE_SIZE = 30;

interface CommitPages {
  commits: Commit[];
  /** Whether the last page was full, so older commits may follow. */
  more: boolean;
  loading: boolean;
  error?: Error;
}

/**
 * The commits on a ref, newest first, a page at a time. Mount it anew (a
 * `key`) for another repository or ref.
 */
export function useCommitPages(repository: RepositoryLocator, ref: string) {
  const gitHostApi = useApi(gitHostApiRef);
  const { namespace, name } = repository;
  const [pages, setPages] = useState(1);
  const [state, setState] = useState<CommitPages>({
    commits: [],
    more: false,
    loading: true,
  });

  useEffect(() => {
    let current = true;
    setState(previous => ({ ...previous, loading: true, error: undefined }));
    gitHostApi
      .listCommits({ namespace, name }, { ref, limit: PAGE_SIZE, page: pages })
      .then(
        page => {
          if (!current) return;
          setState(previous => ({
            commits: pages === 1 ? page : [...previous.commits, ...page],
            more: page.length === PAGE_SIZE,
            loading: false,
          }));
        },
        error => {
          if (current)
            setState(previous => ({ ...previous, loading: false, error }));
        },
      );
    return () => {
      current = false;
    };
  }, [gitHostApi, namespace, name, ref, pages]);

  const loadMore = useCallback(() => setPages(n => n + 1), []);
  return { ...state, loadMore };
}
