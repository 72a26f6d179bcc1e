import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import { gitHostApiRef, PipelineDetails, RepositoryLocator } from '../../api';
import { isPipelineActive } from '../pipelines';

/** How often a queued or running pipeline is fetched again. */
export const PIPELINE_POLL_MS = 2000;

type PipelineState = { pipeline?: PipelineDetails; error?: Error };

/**
 * One pipeline, fetched again every {@link PIPELINE_POLL_MS} while it is
 * queued or running or one of its jobs waits to run; the last good answer
 * stays on screen meanwhile.
 */
export function usePipeline(repository: RepositoryLocator, number: number) {
  const gitHostApi = useApi(gitHostApiRef);
  const { namespace, name } = repository;
  const [state, setState] = useState<PipelineState>({});
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration(g => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    gitHostApi.getPipeline({ namespace, name }, number).then(
      pipeline => {
        if (!cancelled) setState({ pipeline });
      },
      error => {
        if (!cancelled) setState(s => ({ ...s, error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [gitHostApi, namespace, name, number, generation]);

  const active = state.pipeline ? isPipelineActive(state.pipeline) : false;
  // A new timer after every answer, so slow answers never pile up.
  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(refresh, PIPELINE_POLL_MS);
    return () => clearTimeout(timer);
  }, [active, state, refresh]);

  return { ...state, refresh };
}
