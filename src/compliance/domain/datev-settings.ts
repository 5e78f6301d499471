import {
  Decider,
  DomainEvent,
  EventSchema,
  FieldError,
  ValidationError,
} from '../../event-sourcing/index.js';

/** A book's DATEV numbers: who the export is for (Beraternummer, Mandantennummer). */
export interface DatevSettingsData {
  bookId: string;
  consultantNumber: number;
  clientNumber: number;
  /** Sachkontenlänge: digits of the general ledger accounts (personal accounts have one more). */
  accountLength: number;
}

export type DatevSettingsChanged = DomainEvent<'DatevSettingsChanged', DatevSettingsData>;

export interface SetDatevSettings {
  type: 'SetDatevSettings';
  settings: DatevSettingsData;
}

export type DatevSettingsState = { settings?: DatevSettingsData };

export const datevSettingsStreamPrefix = 'datev-settings-';

export function datevSettingsStreamId(bookId: string): string {
  return `${datevSettingsStreamPrefix}${bookId}`;
}

/** The ranges of the DATEV-Format header (fields 11, 12, 14). */
export const datevRanges = {
  consultantNumber: { min: 1001, max: 9_999_999 },
  clientNumber: { min: 1, max: 99_999 },
  accountLength: { min: 4, max: 8 },
} as const;

export const datevSettingsDecider: Decider<
  SetDatevSettings,
  DatevSettingsChanged,
  DatevSettingsState
> = {
  initialState: () => ({}),
  decide(command, state) {
    const errors: FieldError[] = [];
    for (const [field, { min, max }] of Object.entries(datevRanges)) {
      const value = command.settings[field as keyof typeof datevRanges];
      if (!Number.isInteger(value) || value < min || value > max)
        errors.push({ field, message: `must be a whole number from ${min} to ${max}` });
    }
    if (errors.length > 0) throw new ValidationError('Invalid DATEV settings', errors);
    if (JSON.stringify(state.settings) === JSON.stringify(command.settings)) return [];
    return [{ type: 'DatevSettingsChanged', data: command.settings }];
  },
  evolve: (_state, event) => ({ settings: event.data }),
};

export const datevEventSchemas: readonly EventSchema[] = [
  {
    type: 'DatevSettingsChanged',
    schemaVersion: 1,
    description:
      'The book’s DATEV numbers for the EXTF export: consultant (Beraternummer), client (Mandantennummer), account length (Sachkontenlänge).',
    schema: {
      type: 'object',
      required: ['bookId', 'consultantNumber', 'clientNumber', 'accountLength'],
      additionalProperties: false,
      properties: {
        bookId: { type: 'string', minLength: 1 },
        consultantNumber: { type: 'integer', minimum: 1001, maximum: 9_999_999 },
        clientNumber: { type: 'integer', minimum: 1, maximum: 99_999 },
        accountLength: { type: 'integer', minimum: 4, maximum: 8 },
      },
    },
  },
];
