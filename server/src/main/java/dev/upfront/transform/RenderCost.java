package dev.upfront.transform;

/**
 * An estimate of a render's CPU work, in pixel visits, computed from the plan before anything is decoded: what
 * refuses a request that would cost too much ({@link #MAX}) and what sends the costly ones to their own lane
 * ({@link #EXPENSIVE}). Decoding and each operation count the pixels they produce; a blur counts its kernel taps
 * (two passes of 2·⌈3σ⌉+1), an arbitrary rotation its interpolation, and encoding a per-format factor (AVIF is
 * slow). The figures are rough on purpose: they rank renders and cap the worst, they do not predict milliseconds.
 */
public final class RenderCost {
    /** The most a render may cost: a large blur on a large output is refused (about 20 s of one core at most). */
    public static final long MAX = 2_000_000_000L;
    /** From this cost on, a render runs in the expensive lane (a 12-megapixel decode to a thumbnail stays cheap). */
    public static final long EXPENSIVE = 100_000_000L;

    private RenderCost() {}

    public static long of(Plan plan, int sourceWidth, int sourceHeight) {
        long w = sourceWidth;
        long h = sourceHeight;
        long cost = w * h;
        for (Op op : plan.ops()) {
            switch (op) {
                case Op.Resize r -> {
                    w = r.width();
                    h = r.height();
                    cost += 2 * w * h;
                }
                case Op.Crop c -> {
                    w = c.width();
                    h = c.height();
                    cost += w * h;
                }
                case Op.Pad p -> {
                    w = p.width();
                    h = p.height();
                    cost += w * h;
                }
                case Op.Rotate r -> {
                    if (r.degrees() % 90 != 0) {
                        double rad = Math.toRadians(r.degrees());
                        long nw = Math.round(Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad)));
                        long nh = Math.round(Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad)));
                        w = nw;
                        h = nh;
                        cost += 4 * w * h;
                    } else {
                        if (r.degrees() % 180 != 0) {
                            long t = w;
                            w = h;
                            h = t;
                        }
                        cost += w * h;
                    }
                }
                case Op.AutoRotate a -> cost += w * h;
                case Op.Blur b -> cost += w * h * 2 * (2 * (long) Math.ceil(3 * b.sigma()) + 1);
                case Op.RoundCorners r -> cost += 2 * w * h;
            }
        }
        long encode = switch (plan.format()) {
            case JPG -> 2;
            case PNG -> 4;
            case WEBP -> 10;
            case AVIF -> 40;
            case AUTO -> throw new IllegalArgumentException("resolve the format first");
        };
        return cost + encode * plan.width() * plan.height();
    }
}
