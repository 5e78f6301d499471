import {
  Decider,
  DomainEvent,
  FieldError,
  ValidationError,
} from '../../../event-sourcing/index.js';
import { BaseRate, dunningLevelMax, DunningSettings, dunningSettingsDefault } from './dunning.js';

/** At most this many base-rate periods in the setting (two a year for 50 years). */
export const baseRatesMax = 100;
/** The interval and grace days are at most a year. */
export const dunningDaysMax = 365;

export interface DunningSettingsData {
  bookId: string;
  /** Fee per level 1–3, decimal-string minor units of the book's currency. */
  feesMinor: string[];
  baseRates: BaseRate[];
  intervalDays: number;
  graceDays: number;
  /** Used when the book's chart names no such account. */
  receivablesAccount?: string;
  feesAccount?: string;
  interestAccount?: string;
}

export type DunningSettingsChanged = DomainEvent<'DunningSettingsChanged', DunningSettingsData>;

export interface SetDunningSettings {
  type: 'SetDunningSettings';
  settings: DunningSettingsData;
}

export type DunningSettingsState = { settings?: DunningSettingsData };

const ratePattern = /^-?\d{1,2}(\.\d{1,5})?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** The settings as a whole; a change is a new event (history kept), an identical one decides nothing. */
export const dunningSettingsDecider: Decider<
  SetDunningSettings,
  DunningSettingsChanged,
  DunningSettingsState
> = {
  initialState: () => ({}),
  decide(command, state) {
    const settings = command.settings;
    const errors: FieldError[] = [];
    if (settings.feesMinor.length !== dunningLevelMax)
      errors.push({ field: 'fees', message: `one fee per level 1–${dunningLevelMax}` });
    if (settings.baseRates.length > baseRatesMax)
      errors.push({ field: 'baseRates', message: `at most ${baseRatesMax} (baseRatesMax)` });
    settings.baseRates.forEach((rate, index) => {
      if (!datePattern.test(rate.validFrom) || Number.isNaN(Date.parse(rate.validFrom)))
        errors.push({ field: `baseRates[${index}].validFrom`, message: 'a date YYYY-MM-DD' });
      if (!ratePattern.test(rate.ratePercent))
        errors.push({
          field: `baseRates[${index}].rate`,
          message: 'a percent like "1.27" or "-0.88"',
        });
      if (index > 0 && settings.baseRates[index - 1]!.validFrom >= rate.validFrom)
        errors.push({
          field: `baseRates[${index}].validFrom`,
          message: 'after the previous rate’s date',
        });
    });
    for (const [field, value] of [
      ['intervalDays', settings.intervalDays],
      ['graceDays', settings.graceDays],
    ] as const)
      if (!Number.isInteger(value) || value < 0 || value > dunningDaysMax)
        errors.push({ field, message: `whole days 0–${dunningDaysMax}` });
    if (errors.length > 0) throw new ValidationError('Invalid dunning settings', errors);
    if (JSON.stringify(state.settings) === JSON.stringify(settings)) return [];
    return [{ type: 'DunningSettingsChanged', data: settings }];
  },
  evolve: (_state, event) => ({ settings: event.data }),
};

/** The settings the rules use: the book's, else the defaults. */
export function effectiveSettings(data: DunningSettingsData | undefined): DunningSettings {
  if (data === undefined) return dunningSettingsDefault;
  return {
    feesMinor: data.feesMinor.map((fee) => BigInt(fee)),
    baseRates: data.baseRates.length > 0 ? data.baseRates : dunningSettingsDefault.baseRates,
    intervalDays: data.intervalDays,
    graceDays: data.graceDays,
  };
}
