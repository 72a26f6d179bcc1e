import { expiryDate, expiryProblem } from './expiry';

describe('expiryProblem', () => {
  const policy = { defaultDays: 90, maxDays: 365 };

  it.each(['1', '90', '365'])('accepts %s days', days => {
    expect(expiryProblem(days, policy)).toBeUndefined();
  });

  it.each(['', '0', '-3', '1.5', 'soon'])('refuses %j', days => {
    expect(expiryProblem(days, policy)).toBe(
      'Enter a whole number of days, at least 1',
    );
  });

  it('refuses more than the maximum, and says what it is', () => {
    expect(expiryProblem('366', policy)).toBe(
      'Tokens live at most 365 days; enter 365 or fewer',
    );
  });
});

describe('expiryDate', () => {
  it('is the day the given number of days from now', () => {
    expect(expiryDate(30, Date.parse('2025-06-15T12:00:00Z'))).toBe(
      '15 Jul 2025',
    );
  });
});
