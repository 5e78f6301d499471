import { portableParams, toBigInt, toPostgresPlaceholders, toSafeNumber } from './sql-database.js';

describe('toPostgresPlaceholders', () => {
  it('numbers the placeholders in order', () => {
    expect(toPostgresPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
    );
  });

  it('leaves question marks in literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT '?', 'it''s ?', "col?" FROM t -- why?\nWHERE a = ? /* or ? */ AND b = ?`;
    expect(toPostgresPlaceholders(sql)).toBe(
      `SELECT '?', 'it''s ?', "col?" FROM t -- why?\nWHERE a = $1 /* or ? */ AND b = $2`,
    );
  });
});

describe('value conversions', () => {
  it('binds booleans as 1/0 and undefined as NULL', () => {
    expect(portableParams([true, false, undefined, 5n, 'x'])).toEqual([1, 0, null, 5n, 'x']);
  });

  it('converts integers exactly', () => {
    expect(toBigInt('9007199254740993')).toBe(9007199254740993n);
    expect(toBigInt(42)).toBe(42n);
    expect(() => toBigInt('1.5')).toThrow(TypeError);
    expect(toSafeNumber(12n)).toBe(12);
    expect(() => toSafeNumber(9007199254740993n)).toThrow(RangeError);
  });
});
