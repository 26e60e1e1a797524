package dev.upfront.config;

/** Invalid configuration; the message names the variable. Start-up stops with it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(Setting setting, String problem) {
        super(setting.variable() + " (" + setting.flag() + "): " + problem);
    }

    public ConfigException(String message) {
        super(message);
    }
}
