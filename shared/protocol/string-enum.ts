import { Type } from '@sinclair/typebox';

/**
 * A string from a fixed list, as JSON Schema's `enum`. A union of literals would be an `anyOf`,
 * whose validation error cannot name the allowed values; an `enum`'s can.
 */
export function StringEnum<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}
