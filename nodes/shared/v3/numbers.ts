import { phoneNumber, phoneNumberList } from '../phoneNumber';

/**
 * v3 takes phone numbers as JSON strings matching ^[1-9][0-9]{6,15}$ (docs/piopiy-api.md section 7,
 * "Types"): digits only, country code first, no "+". Its SDK refuses "+91...", spaces and JSON
 * numbers, which is how CRMs and webhooks deliver them; so every number goes through the same
 * schema as v2's fields, with the same one rule for the characters in a number (phoneNumber.ts:
 * "+91 98765-43210", "00919876543210", 919876543210 are accepted, a tab, a line break or a
 * zero-width character inside a number refused) and only its digits are turned into text.
 *
 * v2's schema allows up to 15 digits (E.164), one fewer than v3's pattern: a 16-digit number is no
 * phone number either, so it is refused under both generations.
 */
export const V3_PHONE_PATTERN = /^[1-9][0-9]{6,15}$/;

/** One number, in v3's string form. */
export const v3PhoneNumber = phoneNumber.transform((number) => String(number));

/** Several numbers (a list, or text separated by commas, semicolons or new lines), in v3's string form. */
export const v3PhoneNumberList = phoneNumberList.transform((numbers) => numbers.map((number) => String(number)));
