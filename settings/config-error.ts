/** A configuration value is bad; the message names the variable or context key to change. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
