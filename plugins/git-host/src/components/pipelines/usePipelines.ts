import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import { gitHostApiRef, PipelineList, RepositoryLocator } from '../../api';
import { isPipelineActive } from './pipelineText';

/** How often a list with a queued or running pipeline is fetched again. */
export const PIPELINES_POLL_MS = 5000;

type PipelinesState = { list?: PipelineList; error?: Error };

/**
 * A repository's latest pipelines, fetched again every
 * {@link PIPELINES_POLL_MS} while one of them is queued or running; the last
 * good answer stays on screen meanwhile.
 */
export function usePipelines(repository: RepositoryLocator, limit: number) {
  const gitHostApi = useApi(gitHostApiRef);
  const { namespace, name } = repository;
  const [state, setState] = useState<PipelinesState>({});
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration(g => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    gitHostApi.listPipelines({ namespace, name }, { limit }).then(
      list => {
        if (!cancelled) setState({ list });
      },
      error => {
        if (!cancelled) setState(s => ({ ...s, error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [gitHostApi, namespace, name, limit, generation]);

  const active = state.list?.items.some(isPipelineActive) ?? false;
  // A new timer after every answer, so slow answers never pile up.
  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(refresh, PIPELINES_POLL_MS);
    return () => clearTimeout(timer);
  }, [active, state, refresh]);

  return { ...state, loading: !state.list && !state.error, refresh };
}
