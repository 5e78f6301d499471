import { Decider, fold } from '../decider.js';
import { DomainEvent } from '../event.js';

/**
 * given(events).when(command).then(events) / .thenThrows(ErrorClass, code?)
 * for pure decider specs.
 */
export function deciderSpec<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, fold(decider, events));
          return {
            then(expected: Event[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorClass: new (...args: never[]) => Error, code?: string) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorClass);
              if (code !== undefined) expect((thrown as { code?: string }).code).toBe(code);
            },
          };
        },
      };
    },
  };
}
