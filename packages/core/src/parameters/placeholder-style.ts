/**
 * How a driver marks a bound parameter in SQL text. Users always write `@name`;
 * {@link translatePlaceholders} rewrites it into the provider's style (docs/values.md#parameters).
 */
export const PlaceholderStyle = {
  /** `$1`, `$2`, … numbered by first appearance in each statement; a repeated name reuses its number (`pg`). */
  DollarNumbered: 'dollar-numbered',
  /** One `?` per occurrence, bound in order; a repeated name repeats its value (`mysql2`). */
  Question: 'question',
  /** `@name` left exactly as written and bound by name (SQL Server through `tedious`). */
  NamedAt: 'named-at',
} as const;
/** One of the {@link PlaceholderStyle} values. */
export type PlaceholderStyle = (typeof PlaceholderStyle)[keyof typeof PlaceholderStyle];
