import { LogRedactor, redactedText } from './log-redaction.js';

describe('LogRedactor', () => {
  const generated = 'kontor_FS-DmI9scNuGr0wyEyhcF3eOCIBJvvempxpGX5fRPE4';
  const chosen = 'correct horse battery staple and more';
  const redactor = new LogRedactor([chosen]);

  it('masks access_token and other secret-named parameters, whatever their value', () => {
    expect(redactor.url(`/v1/events/stream?fromPosition=3&access_token=${generated}&types=A`)).toBe(
      `/v1/events/stream?fromPosition=3&access_token=${redactedText}&types=A`,
    );
    expect(redactor.url('/v1/books?api%5Fkey=short&password=x')).toBe(
      `/v1/books?api%5Fkey=${redactedText}&password=${redactedText}`,
    );
    expect(redactor.parameters({ access_token: 'abc', limit: '10' })).toEqual({
      access_token: redactedText,
      limit: '10',
    });
  });

  it('masks key-looking values anywhere: in the path, other parameters, arrays', () => {
    expect(redactor.url(`/v1/api-keys/${generated}?types=${generated}`)).toBe(
      `/v1/api-keys/${redactedText}?types=${redactedText}`,
    );
    expect(redactor.parameters({ types: [generated, 'x'] })).toEqual({
      types: [redactedText, 'x'],
    });
    const base64 = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpL';
    expect(redactor.url(`/v1/books?cursor=${base64}`)).toBe(`/v1/books?cursor=${redactedText}`);
    expect(redactor.text(`x ${encodeURIComponent(chosen)} ${chosen}`)).not.toContain('horse');
  });

  it('masks searches that may name a person (a parties search by name, GDPR)', () => {
    expect(redactor.url('/v1/books/acme/parties?q=Mustermann&kind=customer')).toBe(
      `/v1/books/acme/parties?q=${redactedText}&kind=customer`,
    );
    expect(redactor.parameters({ q: 'Mustermann', limit: '10' })).toEqual({
      q: redactedText,
      limit: '10',
    });
  });

  it('keeps ids, positions and ordinary paths readable', () => {
    const url =
      '/v1/books/acme/journal-entries/0b5e1f7c-3f1a-4c3e-9c39-2a8d0f0e6a11/reverse?consistentWith=9007199254740993';
    expect(redactor.url(url)).toBe(url);
    expect(redactor.url('/v1/books/acme/accounts/1200/balance?asOf=2026-03-31')).toBe(
      '/v1/books/acme/accounts/1200/balance?asOf=2026-03-31',
    );
  });
});
