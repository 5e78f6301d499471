import { ConfigError, loadConfig, redacted } from './config.js';

function loadRelaySettings(env: NodeJS.ProcessEnv) {
  return loadConfig(env).relay;
}

describe('broker relay settings (KONTOR_RELAY_*)', () => {
  it('is off without KONTOR_RELAY_URL', () => {
    expect(loadRelaySettings({})).toBeUndefined();
    expect(loadRelaySettings({ KONTOR_RELAY_URL: ' ' })).toBeUndefined();
  });

  it('knows the broker by the URL, with the documented defaults', () => {
    expect(loadRelaySettings({ KONTOR_RELAY_URL: 'nats://127.0.0.1:4222' })).toEqual({
      url: 'nats://127.0.0.1:4222',
      broker: 'nats',
      subjectPrefix: 'kontor',
      stream: 'KONTOR',
      exchange: 'kontor',
      windowSize: 256,
      batchSize: 1000,
      timeoutMilliseconds: 10_000,
      retryInitialMilliseconds: 200,
      retryMaxMilliseconds: 10_000,
    });
    expect(loadRelaySettings({ KONTOR_RELAY_URL: 'amqp://guest:guest@mq/vh' })?.broker).toBe(
      'amqp',
    );
    expect(loadRelaySettings({ KONTOR_RELAY_URL: 'amqps://u:p@mq' })?.broker).toBe('amqp');
  });

  it('reads the filters as comma-separated lists', () => {
    const settings = loadRelaySettings({
      KONTOR_RELAY_URL: 'nats://n',
      KONTOR_RELAY_TYPES: 'JournalEntryPosted, BookOpened,',
      KONTOR_RELAY_BOOKS: 'acme',
    });
    expect(settings).toMatchObject({
      types: ['JournalEntryPosted', 'BookOpened'],
      books: ['acme'],
    });
  });

  it.each([
    [{ KONTOR_RELAY_URL: 'http://broker:4222' }, /KONTOR_RELAY_URL must be nats:\/\/host/],
    [{ KONTOR_RELAY_URL: 'not a url' }, /KONTOR_RELAY_URL must be/],
    [{ KONTOR_RELAY_URL: 'nats://n/path' }, /a nats:\/\/ URL has no path/],
    [{ KONTOR_RELAY_URL: 'nats://n', KONTOR_RELAY_SUBJECT_PREFIX: 'a.*' }, /SUBJECT_PREFIX/],
    [{ KONTOR_RELAY_URL: 'nats://n', KONTOR_RELAY_STREAM: 'A.B' }, /KONTOR_RELAY_STREAM/],
    [{ KONTOR_RELAY_URL: 'nats://n', KONTOR_RELAY_WINDOW: '0' }, /KONTOR_RELAY_WINDOW/],
    [{ KONTOR_RELAY_URL: 'nats://n', KONTOR_RELAY_BATCH: '5000' }, /KONTOR_RELAY_BATCH/],
  ])('refuses %j', (env, message) => {
    expect(() => loadRelaySettings(env)).toThrow(ConfigError);
    expect(() => loadRelaySettings(env)).toThrow(message);
  });

  it('never shows the password in a message', () => {
    expect(redacted('amqp://guest:secret@mq:5672')).toBe('amqp://guest:***@mq:5672');
    expect(() => loadRelaySettings({ KONTOR_RELAY_URL: 'http://u:secret@x' })).toThrow(
      /u:\*\*\*@x/,
    );
  });
});
