import { describe, expect, it } from 'vitest';
import { campaignLength } from './campaigns';
import { centsToDollars, dollarsToCents, formatMoney, oneLine } from './format';
import { pageCount, pageQuery } from './paging';

describe('dollarsToCents', () => {
  it('parses amounts as exact cents, with separators and a dollar sign', () => {
    expect(dollarsToCents('1,250.5')).toBe(125050);
    expect(dollarsToCents('$ 19.99')).toBe(1999);
    expect(dollarsToCents(7)).toBe(700);
  });

  it('says null for an empty field and NaN for text that is not an amount', () => {
    expect(dollarsToCents('')).toBeNull();
    expect(dollarsToCents(null)).toBeNull();
    expect(dollarsToCents('12.345')).toBeNaN();
    expect(dollarsToCents('-5')).toBeNaN();
    expect(dollarsToCents('ten')).toBeNaN();
  });

  it('round-trips with centsToDollars', () => {
    for (const cents of [0, 5, 100, 125050, 99_999_999]) {
      expect(dollarsToCents(centsToDollars(cents))).toBe(cents);
    }
    expect(centsToDollars(125050)).toBe('1250.50');
    expect(centsToDollars(null)).toBe('');
  });
});

describe('formatMoney', () => {
  it('drops the cents of whole amounts and shows a dash for none', () => {
    expect(formatMoney(125000)).toBe('$1,250');
    expect(formatMoney(125050)).toBe('$1,250.50');
    expect(formatMoney(null)).toBe('—');
  });
});

describe('oneLine', () => {
  it('collapses whitespace and cuts long text with an ellipsis', () => {
    expect(oneLine('  hello\n\n  world ')).toBe('hello world');
    expect(oneLine('abcdef ghij', 8)).toBe('abcdef…');
    expect(oneLine('short', 8)).toBe('short');
  });
});

describe('campaignLength', () => {
  it('counts both ends and refuses a reversed range', () => {
    expect(campaignLength('2026-01-01', '2026-01-01')).toBe(1);
    expect(campaignLength('2026-01-01', '2026-01-31')).toBe(31);
    expect(campaignLength('2026-02-01', '2026-01-01')).toBeNull();
    expect(campaignLength('nope', '2026-01-01')).toBeNull();
  });
});

describe('paging', () => {
  it('sends the cursor only after the first page', () => {
    expect(pageQuery(20, null)).toEqual({ limit: 20 });
    expect(pageQuery(20, 'abc')).toEqual({ limit: 20, cursor: 'abc' });
  });

  it('counts one page, saying "N+" when the server has more', () => {
    expect(pageCount({ items: [1, 2, 3], nextCursor: null }, 100)).toBe('3');
    expect(pageCount({ items: [1, 2, 3], nextCursor: 'next' }, 100)).toBe('100+');
  });
});
