import { useApi } from '@backstage/frontend-plugin-api';
import {
  Environment,
  EnvironmentRun,
} from '@internal/plugin-environments-common';
import { useCallback, useEffect, useState } from 'react';
import { environmentsApiRef } from '../../api';
import { isEnvironmentBusy } from '../common';

/** How often the page refreshes while a run waits or runs. */
export const ACTIVE_POLL_MS = 2000;

type DetailsState = {
  environment?: Environment;
  runs?: EnvironmentRun[];
  error?: Error;
  loading: boolean;
};

/**
 * An environment and its runs. While something is happening to the
 * environment they are fetched again every {@link ACTIVE_POLL_MS}; the last
 * good answer stays on screen meanwhile.
 */
export function useEnvironmentDetails(id: string) {
  const environmentsApi = useApi(environmentsApiRef);
  const [state, setState] = useState<DetailsState>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration(g => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      environmentsApi.getEnvironment(id),
      environmentsApi.listRuns(id),
    ]).then(
      ([environment, runs]) => {
        if (!cancelled) setState({ environment, runs, loading: false });
      },
      error => {
        if (!cancelled) setState(s => ({ ...s, error, loading: false }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [environmentsApi, id, generation]);

  const busy = state.environment
    ? isEnvironmentBusy(state.environment, state.runs)
    : false;

  // A new timer after every answer, so slow answers never pile up.
  useEffect(() => {
    if (!busy) return undefined;
    const timer = setTimeout(refresh, ACTIVE_POLL_MS);
    return () => clearTimeout(timer);
  }, [busy, state, refresh]);

  return { ...state, busy, refresh };
}
