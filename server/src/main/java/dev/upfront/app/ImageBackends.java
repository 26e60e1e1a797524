package dev.upfront.app;

import dev.upfront.config.ConfigException;
import dev.upfront.config.Setting;
import dev.upfront.transform.ImageBackend;
import dev.upfront.transform.java.JavaBackend;
import dev.upfront.transform.vips.VipsBackend;
import java.util.Optional;

/** Picks the image backend: libvips when available (or required), else pure Java. */
final class ImageBackends {
    private ImageBackends() {}

    static ImageBackend choose(String wanted) {
        if (wanted.equals("java")) {
            return new JavaBackend();
        }
        Optional<VipsBackend> vips = VipsBackend.load();
        if (vips.isPresent()) {
            return vips.get();
        }
        if (wanted.equals("vips")) {
            throw new ConfigException(Setting.IMAGE_BACKEND, "libvips (libvips.so.42) cannot be loaded on this machine");
        }
        return new JavaBackend();
    }
}
