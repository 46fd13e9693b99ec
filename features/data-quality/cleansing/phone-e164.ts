import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/**
 * A stored number that is not in E.164 ("020 7183 8750", "0044 20 7183 8750") as E.164, when
 * there is exactly one reading of it; null otherwise. A national number is read in `region`
 * (the instance's home country); when its digits are also a valid international number with
 * another meaning ("447911123456" read as "+44 7911 123456" or as a national number), it is
 * ambiguous and left for a person.
 */
export function unambiguousE164(raw: string, region: CountryCode): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 40 || !/^[\d\s().+-]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, "");
  if (digits.length < 6) return null;
  if (text.startsWith("+")) return validNumber(`+${digits}`);
  if (text.startsWith("00")) return validNumber(`+${digits.slice(2)}`);
  const national = parsePhoneNumberFromString(text, region);
  if (!national?.isValid()) return null;
  const international = validNumber(`+${digits}`);
  if (international && international !== national.number) return null;
  return national.number;
}

function validNumber(candidate: string): string | null {
  const parsed = parsePhoneNumberFromString(candidate);
  return parsed?.isValid() ? parsed.number : null;
}
