/**
 * Injection tokens of the infrastructure module (global): inject them anywhere with
 * `@Inject(EVENT_STORE) store: EventStore`, `@Inject(CLOCK) clock: Clock`,
 * `@Inject(KONTOR_CONFIG) config: KontorConfig`.
 */
export const KONTOR_CONFIG = 'KONTOR_CONFIG';
export const EVENT_STORE = 'EVENT_STORE';
export const CLOCK = 'CLOCK';
/** The read-model database (`SqlDatabase`, src/infrastructure/sql): projections and their queries. */
export const READ_MODEL_DB = 'READ_MODEL_DB';
