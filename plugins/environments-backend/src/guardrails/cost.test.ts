import { monthlyCost, teamCosts } from './cost';

const prices = {
  currency: 'USD',
  default: 10,
  modules: { postgres: { small: 15, large: 240 } },
};

describe('cost', () => {
  it('prices building blocks by module and size, with a default', () => {
    expect(monthlyCost(prices, ['postgres'], 'small')).toBe(15);
    expect(monthlyCost(prices, ['postgres', 'redis'], 'large')).toBe(250);
    expect(monthlyCost(prices, ['postgres'], 'medium')).toBe(10);
    expect(monthlyCost(prices, [], 'small')).toBe(0);
  });

  it("sums a team's month: so far by the days alive, projected until each expires", () => {
    // 30-day month (November 2026); now is the 16th, 00:00 UTC.
    const now = new Date('2026-11-16T00:00:00Z');
    const env = (created: string, expires: string, destroyed?: string) => ({
      resources: '["postgres"]',
      size: 'large', // 240 a month: 8 a day
      created_at: created,
      expires_at: expires,
      destroyed_at: destroyed ?? null,
      applied_modules: '{}',
    });
    const costs = teamCosts(
      prices,
      [
        // Alive all month so far, expires at the end of the 20th.
        env('2026-10-01T00:00:00Z', '2026-11-21T00:00:00Z'),
        // Lived two days this month, then destroyed.
        env(
          '2026-11-02T00:00:00Z',
          '2026-12-31T00:00:00Z',
          '2026-11-04T00:00:00Z',
        ),
        // Made last month, destroyed last month: nothing this month.
        env(
          '2026-10-01T00:00:00Z',
          '2026-10-09T00:00:00Z',
          '2026-10-03T00:00:00Z',
        ),
      ],
      now,
    );
    expect(costs).toEqual({
      monthly: 240,
      monthSoFar: 15 * 8 + 2 * 8,
      projected: 15 * 8 + 2 * 8 + 5 * 8,
    });
  });
});
