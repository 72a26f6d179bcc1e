import { PipelineJob } from '../../api';
import {
  ciSha,
  durationText,
  formatDuration,
  isPipelineActive,
  jobsByStage,
} from './pipelineText';

const job = (patch: Partial<PipelineJob>): PipelineJob => ({
  id: patch.name ?? 'j',
  name: 'build',
  stage: 'build',
  status: 'success',
  when: 'on_success',
  allowFailure: false,
  logBytes: 0,
  ...patch,
});

describe('pipeline text', () => {
  it.each([
    [0, '0s'],
    [45_400, '45s'],
    [185_000, '3m 05s'],
    [3_720_000, '1h 02m'],
    [3 * 24 * 3_600_000 + 3_600_000, '3d 1h'],
  ])('words %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says how long a running job has run so far, nothing before it starts', () => {
    const now = Date.parse('2026-01-01T10:01:30Z');
    expect(durationText({ startedAt: '2026-01-01T10:00:00Z' }, now)).toBe(
      '1m 30s so far',
    );
    expect(durationText({ durationMs: 2000 }, now)).toBe('2s');
    expect(durationText({}, now)).toBeUndefined();
  });

  it('shortens a sha as GitLab does', () => {
    expect(ciSha('0123456789abcdef')).toBe('01234567');
  });

  it('groups jobs by stage, in the order the stages first appear', () => {
    const groups = jobsByStage([
      job({ name: 'lint', stage: 'test' }),
      job({ name: 'build', stage: 'build' }),
      job({ name: 'unit', stage: 'test' }),
    ]);
    expect(groups.map(g => [g.stage, g.jobs.map(j => j.name)])).toEqual([
      ['test', ['lint', 'unit']],
      ['build', ['build']],
    ]);
  });

  it('counts a pipeline with a started manual job as active', () => {
    const base = {
      status: 'success' as const,
      jobs: [job({ status: 'manual' })],
    };
    expect(isPipelineActive(base as any)).toBe(false);
    expect(
      isPipelineActive({ ...base, jobs: [job({ status: 'pending' })] } as any),
    ).toBe(true);
  });
});
