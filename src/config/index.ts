export { type Config } from './config';
export { ConfigError, MissingSettingsError, loadConfig, requireSettings } from './load';
