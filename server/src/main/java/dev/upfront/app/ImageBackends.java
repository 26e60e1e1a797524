package dev.upfront.app;

import dev.upfront.config.ConfigException;
import dev.upfront.config.Setting;
import dev.upfront.transform.ImageBackend;
import dev.upfront.transform.java.JavaBackend;

/** Picks the image backend: libvips when available (or required), else pure Java. */
final class ImageBackends {
    private ImageBackends() {}

    static ImageBackend choose(String wanted) {
        if (wanted.equals("java")) {
            return new JavaBackend();
        }
        // The libvips binding lands in dev.upfront.transform.vips; until then every choice is pure Java.
        if (wanted.equals("vips")) {
            throw new ConfigException(Setting.IMAGE_BACKEND, "libvips is not available on this machine");
        }
        return new JavaBackend();
    }
}
