import { relativeTime } from './relativeTime';

describe('relativeTime', () => {
  const now = Date.parse('2025-06-15T12:00:00Z');

  it.each([
    ['2025-06-15T11:59:30Z', 'just now'],
    ['2025-06-15T11:55:00Z', '5 minutes ago'],
    ['2025-06-15T09:00:00Z', '3 hours ago'],
    ['2025-06-14T10:00:00Z', 'yesterday'],
    ['2025-06-01T12:00:00Z', '2 weeks ago'],
    ['2024-06-01T12:00:00Z', 'last year'],
  ])('describes %s as %s', (date, expected) => {
    expect(relativeTime(date, now)).toBe(expected);
  });

  it('leaves an unparseable date as it is', () => {
    expect(relativeTime('not a date', now)).toBe('not a date');
  });
});
