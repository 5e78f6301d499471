import {
  addDecimals,
  canonicalDecimal,
  compareDecimals,
  decimalToScaled,
  divideDecimals,
  formatDecimal,
  multiplyDecimals,
  roundDecimal,
  scaledToDecimal,
  subtractDecimals,
} from './decimal.js';

describe('canonical decimals', () => {
  it.each([
    ['336.90', '336.9'],
    ['30.00000000000', '30'],
    ['+1', '1'],
    ['-0.0', '0'],
    ['.5', '0.5'],
    ['007.250', '7.25'],
    [' 12 ', '12'],
    ['-12.30', '-12.3'],
  ])('%s reads as %s', (text, canonical) => {
    expect(canonicalDecimal(text)).toBe(canonical);
  });

  it.each(['', '.', 'abc', '1,5', '1e3', '1.2.3', '--1'])('"%s" is not a decimal', (text) => {
    expect(canonicalDecimal(text)).toBeUndefined();
  });

  it('scales exactly and refuses lost digits', () => {
    expect(decimalToScaled('1234.5', 2)).toBe(123450n);
    expect(decimalToScaled('-0.01', 2)).toBe(-1n);
    expect(() => decimalToScaled('0.001', 2)).toThrow(RangeError);
    expect(scaledToDecimal(-5n, 3)).toBe('-0.005');
    expect(scaledToDecimal(120n, 2)).toBe('1.2');
  });
});

describe('decimal arithmetic', () => {
  it('adds, subtracts, multiplies exactly', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals()).toBe('0');
    expect(subtractDecimals('10', '10.01')).toBe('-0.01');
    expect(multiplyDecimals('3.5', '2.0004')).toBe('7.0014');
  });

  it('rounds half away from zero', () => {
    expect(roundDecimal('2.345', 2)).toBe('2.35');
    expect(roundDecimal('-2.345', 2)).toBe('-2.35');
    expect(roundDecimal('2.3449', 2)).toBe('2.34');
    expect(roundDecimal('2.3', 2)).toBe('2.3');
  });

  it('divides with rounding', () => {
    expect(divideDecimals('10', '3', 2)).toBe('3.33');
    expect(divideDecimals('20', '3', 2)).toBe('6.67');
    expect(divideDecimals('-1', '8', 2)).toBe('-0.13');
    expect(() => divideDecimals('1', '0', 2)).toThrow(RangeError);
  });

  it('compares and formats', () => {
    expect(compareDecimals('1.10', '1.1')).toBe(0);
    expect(compareDecimals('-1', '0.5')).toBe(-1);
    expect(formatDecimal('336.9', 2)).toBe('336.90');
    expect(formatDecimal('5', 2)).toBe('5.00');
    expect(formatDecimal('1.2345', 2)).toBe('1.2345');
    expect(formatDecimal('5', 0)).toBe('5');
  });
});
