import { DomainEvent } from './event.js';

/**
 * A decider (Chassaing / Emmett): pure functions over a command, the state, and events.
 * `decide` throws a DomainError to refuse; it never reads the clock or randomness.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
  state: State = decider.initialState(),
): State {
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
