import { CommandType } from '../contracts/command-type.js';
import type { DbParameterCollection } from '../contracts/db-parameter-collection.js';
import { ParameterDirection } from '../contracts/parameter-direction.js';
import { NotSupportedError } from '../errors/errors.js';
import type { ProviderCapabilities } from '../providers/provider-capabilities.js';

/**
 * Refuses, before anything is sent, a command that asks for what the provider's capabilities say it cannot do:
 * `CommandType.StoredProcedure` without `supportsStoredProcedures`, and Output, InputOutput or ReturnValue
 * parameters without `supportsOutputParameters` (a provider would otherwise leave them unchanged without a word).
 * The one place these capabilities are enforced: every Begin, Promise method and batch builds its request through
 * here, so providers need not check them again.
 * @throws {@link NotSupportedError} naming the feature and the capability.
 * @internal
 */
export function assertCommandSupported(
  commandType: CommandType,
  parameters: DbParameterCollection,
  capabilities: ProviderCapabilities,
): void {
  if (commandType === CommandType.StoredProcedure && !capabilities.supportsStoredProcedures) {
    throw new NotSupportedError(
      'This provider does not run stored procedures by name (CommandType.StoredProcedure; capability ' +
        'supportsStoredProcedures is false): use CommandType.Text with the call written in SQL.',
    );
  }
  if (capabilities.supportsOutputParameters) return;
  for (const parameter of parameters) {
    if (parameter.direction !== ParameterDirection.Input) {
      throw new NotSupportedError(
        `The parameter '@${parameter.normalizedName}' has direction ${parameter.direction}: this provider does not ` +
          'support output, input/output or return-value parameters (capability supportsOutputParameters is false).',
      );
    }
  }
}
