/** Whether a parameter carries a value in, out, or both. Mirrors `System.Data.ParameterDirection`. */
export const ParameterDirection = {
  Input: 'Input',
  Output: 'Output',
  InputOutput: 'InputOutput',
  ReturnValue: 'ReturnValue',
} as const;
/** One of the {@link ParameterDirection} values. */
export type ParameterDirection = (typeof ParameterDirection)[keyof typeof ParameterDirection];
