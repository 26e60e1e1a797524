package dev.upfront.json;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object column read from the database, parsed on first use. Delivery reads a file's record on every
 * request but never looks at its metadata, so EXIF and custom metadata are not parsed for it. Read-only.
 */
public final class LazyJsonObject extends AbstractMap<String, Object> {
    private final String text;
    private volatile Map<String, Object> parsed;

    public LazyJsonObject(String text) {
        this.text = text;
    }

    private Map<String, Object> map() {
        Map<String, Object> m = parsed;
        if (m == null) {
            m = Collections.unmodifiableMap(Json.readMap(text));
            parsed = m;
        }
        return m;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return map().entrySet();
    }

    @Override
    public Object get(Object key) {
        return map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }
}
