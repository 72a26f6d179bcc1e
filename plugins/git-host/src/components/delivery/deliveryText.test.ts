import {
  durationScale,
  durationText,
  figureValueText,
  fractionText,
  numberText,
  percentText,
  rateText,
} from './deliveryText';

describe('delivery text', () => {
  it('tells durations in the unit that reads best', () => {
    expect(durationText(0)).toBe('0 s');
    expect(durationText(45.4)).toBe('45 s');
    expect(durationText(12 * 60 + 20)).toBe('12 min');
    expect(durationText(3 * 3600)).toBe('3 h');
    expect(durationText(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(durationText(24 * 3600 - 10)).toBe('1 d');
    expect(durationText(2.5 * 86400)).toBe('2.5 d');
    expect(durationText(2 * 86400 + 60)).toBe('2 d');
    expect(durationText(-5)).toBe('0 s');
  });

  it('tells numbers and rates with at most one decimal', () => {
    expect(numberText(3.46)).toBe('3.5');
    expect(numberText(3)).toBe('3');
    expect(percentText(0.25)).toBe('25%');
    expect(percentText(1 / 3)).toBe('33.3%');
    expect(percentText(0)).toBe('0%');
    expect(rateText(0.25, 1, 4)).toBe('25% (1 of 4)');
  });

  it("tells a figure's value in its unit, a dash when it has none", () => {
    expect(figureValueText({ value: 3.5, unit: 'per_week' })).toBe(
      '3.5 per week',
    );
    expect(figureValueText({ value: 7200, unit: 'seconds' })).toBe('2 h');
    expect(figureValueText({ value: 0.125, unit: 'ratio' })).toBe('12.5%');
    expect(figureValueText({ value: null, unit: 'ratio' })).toBe('—');
  });

  it('tells what a figure was computed from', () => {
    expect(
      fractionText({
        numerator: { value: 3, label: 'failed deployments' },
        denominator: { value: 12, label: 'deployments' },
      }),
    ).toBe('3 failed deployments / 12 deployments');
  });

  it('charts durations in minutes, hours or days', () => {
    expect(durationScale(50)).toEqual({ label: 'seconds', seconds: 1 });
    expect(durationScale(30 * 60)).toEqual({ label: 'minutes', seconds: 60 });
    expect(durationScale(5 * 3600)).toEqual({ label: 'hours', seconds: 3600 });
    expect(durationScale(4 * 86400)).toEqual({
      label: 'days',
      seconds: 86400,
    });
  });
});
