import { ValidationOptions, registerDecorator } from 'class-validator';

/**
 * ISO 3166-1 alpha-2 officially assigned codes (249). Kept as data rather than asked of Intl: ICU's region
 * names answer for unassigned codes too, so they cannot tell a real country from a well-formed typo.
 */
const COUNTRIES = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`
  .trim()
  .split(/\s+/);

export const COUNTRY_CODES: ReadonlySet<string> = new Set(COUNTRIES);

/** ISO 4217 codes in current use, lower case as the API speaks them (ICU's list leaves out XXX/XTS test codes). */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));

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
