export { SETTINGS_FILE, SettingsService } from './settings-service';
