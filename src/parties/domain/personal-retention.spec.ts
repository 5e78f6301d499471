import { retentionEnd } from './personal-retention.js';

describe('retentionEnd (§147 AO: invoices 8 years, bookings 10, from the end of the year)', () => {
  it('keeps an invoice of 2026 until the end of 2034, a booking of 2026 until the end of 2036', () => {
    expect(retentionEnd({ lastInvoiceDate: '2026-01-01' })).toEqual({
      retainedUntil: '2034-12-31',
      erasableFrom: '2035-01-01',
      basis: [{ kind: 'invoices', lastDate: '2026-01-01', retainedUntil: '2034-12-31' }],
    });
    expect(retentionEnd({ lastBookingDate: '2026-12-31' }).erasableFrom).toBe('2037-01-01');
  });

  it('takes the later end of invoices and bookings in different years', () => {
    const invoiceLater = retentionEnd({
      lastInvoiceDate: '2030-02-01',
      lastBookingDate: '2027-07-01',
    });
    expect(invoiceLater.retainedUntil).toBe('2038-12-31');
    const bookingLater = retentionEnd({
      lastInvoiceDate: '2028-02-01',
      lastBookingDate: '2027-07-01',
    });
    expect(bookingLater.retainedUntil).toBe('2037-12-31');
    expect(bookingLater.basis.map((end) => end.retainedUntil)).toEqual([
      '2036-12-31',
      '2037-12-31',
    ]);
  });

  it('has no end (erasable at once) without any record', () => {
    expect(retentionEnd({})).toEqual({ retainedUntil: null, erasableFrom: null, basis: [] });
  });
});
