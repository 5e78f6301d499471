import { ConfigError, booksInMemoryMaxDefault, loadConfig } from './config.js';

describe('loadConfig: KONTOR_BOOKS_IN_MEMORY_MAX', () => {
  it('defaults to booksInMemoryMaxDefault and accepts an integer in range', () => {
    expect(loadConfig({}).booksInMemoryMax).toBe(booksInMemoryMaxDefault);
    expect(loadConfig({ KONTOR_BOOKS_IN_MEMORY_MAX: '25' }).booksInMemoryMax).toBe(25);
  });

  it.each(['0', '-1', '1.5', 'many', '10000001'])('refuses %s', (value) => {
    expect(() => loadConfig({ KONTOR_BOOKS_IN_MEMORY_MAX: value })).toThrow(ConfigError);
  });
});
