import { useApi } from '@backstage/frontend-plugin-api';
import { RunEvent } from '@internal/plugin-environments-common';
import { useEffect, useState } from 'react';
import { environmentsApiRef } from '../../api';

/** How often a live log asks for new lines. */
export const LOG_POLL_MS = 1000;

type RunEventsState = {
  events: RunEvent[];
  finished: boolean;
  error?: Error;
};

/**
 * A run's log, followed live: new lines are fetched every
 * {@link LOG_POLL_MS} until the backend says the run has finished.
 */
export function useRunEvents(runId: string): RunEventsState {
  const environmentsApi = useApi(environmentsApiRef);
  const [state, setState] = useState<RunEventsState>({
    events: [],
    finished: false,
  });

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let after: number | undefined;
    setState({ events: [], finished: false });

    const poll = async () => {
      try {
        const page = await environmentsApi.getRunEvents(runId, after);
        if (cancelled) return;
        if (page.items.length) {
          after = page.items[page.items.length - 1].seq;
        }
        setState(s => ({
          events: [...s.events, ...page.items],
          finished: page.finished,
        }));
        if (!page.finished) {
          timer = setTimeout(poll, LOG_POLL_MS);
        }
      } catch (error) {
        if (!cancelled) setState(s => ({ ...s, error: error as Error }));
      }
    };
    poll();

    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [environmentsApi, runId]);

  return state;
}
