import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useRef, useState } from 'react';
import {
  gitHostApiRef,
  JOB_LOG_PAGE_SIZE,
  PipelineJob,
  RepositoryLocator,
} from '../../api';
import { isJobActive } from '../pipelines';

/** How often a running job's log asks for new output. */
export const LOG_POLL_MS = 1000;

type JobLogState = {
  /** Which log `text` is of: a new job starts from nothing. */
  key: string;
  text: string;
  /** The job as the last answer described it. */
  job?: PipelineJob;
  error?: Error;
};

/**
 * A job's log, followed live: new output is fetched every
 * {@link LOG_POLL_MS} while the job waits or runs, at once while the backend
 * answers with full pages. A manual job's log starts being followed when
 * `active` says it was started.
 */
export function useJobLog(
  repository: RepositoryLocator,
  number: number,
  job: string,
  /** The pipeline says the job waits or runs. */
  active: boolean,
) {
  const gitHostApi = useApi(gitHostApiRef);
  const { namespace, name } = repository;
  const key = `${namespace}/${name}#${number}/${job}`;
  const [state, setState] = useState<JobLogState>({ key, text: '' });
  // The last chunk read, kept when polling stops and starts again.
  const read = useRef({ key, after: 0 });

  useEffect(() => {
    if (read.current.key !== key) {
      read.current = { key, after: 0 };
      setState({ key, text: '' });
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const poll = async () => {
      try {
        const page = await gitHostApi.getJobLog(
          { namespace, name },
          number,
          job,
          {
            after: read.current.after || undefined,
          },
        );
        if (cancelled) return;
        const { chunks } = page;
        if (chunks.length) read.current.after = chunks[chunks.length - 1].seq;
        const text = chunks.map(chunk => chunk.text).join('');
        setState(s => ({
          key,
          text: s.key === key ? s.text + text : text,
          job: page.job,
        }));
        if (chunks.length >= JOB_LOG_PAGE_SIZE) {
          timer = setTimeout(poll, 0);
        } else if (isJobActive(page.job.status)) {
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
  }, [gitHostApi, namespace, name, number, job, key, active]);

  return state.key === key ? state : { key, text: '' };
}
