import { RecordedEvent } from '../../event-sourcing/index.js';

/** The subject token of events that belong to no book. */
export const noBookToken = '-';

/**
 * One token of a NATS subject or a RabbitMQ topic routing key. NATS tokens cannot hold spaces,
 * `.`, `*` or `>`; AMQP topic keys split on `.` and match on `*` and `#`. The token is the value
 * percent-encoded (`encodeURIComponent`, which also takes spaces, `>` and `#`), with `.`, `*` and
 * the other characters it keeps but a pattern could trip on encoded too: reversible with
 * `decodeURIComponent`, so two different books never share a subject.
 */
export function subjectToken(value: string): string {
  if (value === '') return '%00';
  return encodeURIComponent(value).replace(
    /[.*!'()~]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `<prefix>.<book or ->.<type>`: NATS subject and RabbitMQ routing key of an event. */
export function relaySubject(
  prefix: string,
  event: Pick<RecordedEvent, 'type' | 'metadata'>,
): string {
  const book = event.metadata.book;
  const bookToken = typeof book === 'string' ? subjectToken(book) : noBookToken;
  return `${prefix}.${bookToken}.${subjectToken(event.type)}`;
}
