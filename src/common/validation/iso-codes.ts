import { ValidationOptions, registerDecorator } from 'class-validator';

// ICU knows 280 two-letter region codes; these 31 are reserved, deprecated or not countries (EU, UN, UK, ZZ…).
// What remains is exactly ISO 3166-1's 249 officially assigned alpha-2 codes.
const NOT_COUNTRIES = new Set(
  'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB XK YD YU ZR ZZ'.split(' '),
);

function buildCountries(): Set<string> {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const out = new Set<string>();
  for (let a = 65; a < 91; a++) {
    for (let b = 65; b < 91; b++) {
      const code = String.fromCharCode(a, b);
      if (names.of(code) && !NOT_COUNTRIES.has(code)) out.add(code);
    }
  }
  return out;
}

export const COUNTRY_CODES: ReadonlySet<string> = buildCountries();
export const CURRENCY_CODES: ReadonlySet<string> = new Set(
  Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()),
);

export const isCountryCode = (v: unknown): v is string => typeof v === 'string' && COUNTRY_CODES.has(v);
export const isCurrencyCode = (v: unknown): v is string => typeof v === 'string' && CURRENCY_CODES.has(v);

/** ISO 3166-1 alpha-2, upper case (`US`, `DE`). */
export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCountryCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an ISO 3166-1 alpha-2 country code such as US`, ...options },
      validator: { validate: (v: unknown) => isCountryCode(v) },
    });
}

/** ISO 4217, lower case (`usd`, `eur`). */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be a lower-case ISO 4217 currency code such as usd`,
        ...options,
      },
      validator: { validate: (v: unknown) => isCurrencyCode(v) },
    });
}
