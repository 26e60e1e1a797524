package dev.upfront.transform;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link Transformation} and the source's size into concrete {@link Op}s (reference §6.2 semantics):
 * pixel sizes from fractions and dpr, crop strategies, focus, padding, extraction. Pure; both backends share it.
 */
public final class Planner {
    /** Largest output side; larger requests are refused, not attempted. */
    public static final int MAX_OUTPUT_SIDE = 8192;
    private static final long WHITE = 0xFFFFFFFFL;

    private Planner() {}

    /**
     * @param customCoordinates the file's "x,y,w,h" for fo-custom, or null
     * @param format the resolved output format
     */
    public static Plan plan(Transformation t, int sourceWidth, int sourceHeight, String customCoordinates, Step.Format format) {
        return plan(t, sourceWidth, sourceHeight, customCoordinates, format, 1);
    }

    /**
     * @param orientation the source's EXIF Orientation (1-8; other values mean 1), which {@code rt-auto} applies:
     *     5-8 turn the image a quarter, so the steps after it see its sides swapped
     */
    public static Plan plan(Transformation t, int sourceWidth, int sourceHeight, String customCoordinates, Step.Format format,
                            int orientation) {
        List<Op> ops = new ArrayList<>();
        int w = sourceWidth;
        int h = sourceHeight;
        long background = WHITE;
        for (Step s : t.steps()) {
            if (s.background() != null) {
                background = s.background();
            }
            long bg = s.background() != null ? s.background() : (format == Step.Format.JPG ? WHITE : 0x00000000L);
            if (s.rotation() != null && s.rotation() == Step.AUTO_ROTATION) {
                ops.add(new Op.AutoRotate());
                if (orientation >= 5 && orientation <= 8) {
                    int tmp = w;
                    w = h;
                    h = tmp;
                }
            }
            if (s.resizes()) {
                int[] size = geometry(s, w, h, customCoordinates, bg, ops);
                w = size[0];
                h = size[1];
            }
            if (s.rotation() != null && s.rotation() != Step.AUTO_ROTATION && s.rotation() != 0) {
                ops.add(new Op.Rotate(s.rotation(), bg));
                int deg = s.rotation();
                if (deg == 90 || deg == 270) {
                    int tmp = w;
                    w = h;
                    h = tmp;
                } else if (deg != 180) {
                    double rad = Math.toRadians(deg);
                    int nw = (int) Math.round(Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad)));
                    int nh = (int) Math.round(Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad)));
                    w = nw;
                    h = nh;
                }
            }
            if (s.blur() != null) {
                ops.add(new Op.Blur(s.blur() / 2.0));
            }
            if (s.radius() != null) {
                ops.add(new Op.RoundCorners(Math.min(s.radius(), Math.min(w, h) / 2)));
            }
            check(w, h);
        }
        int quality = t.quality() == null ? 80 : t.quality();
        return new Plan(ops, format, quality, background, w, h);
    }

    /** Adds the ops of one step's resize/crop/pad and returns the new size. */
    private static int[] geometry(Step s, int w, int h, String customCoordinates, long bg, List<Op> ops) {
        double dpr = s.dpr() == null ? 1 : s.dpr();
        Integer tw = s.width() == null ? null : px(s.width(), w, dpr);
        Integer th = s.height() == null ? null : px(s.height(), h, dpr);
        if (s.aspectRatio() != null) {
            if (tw != null && th == null) {
                th = Math.max(1, (int) Math.round(tw / s.aspectRatio()));
            } else if (th != null && tw == null) {
                tw = Math.max(1, (int) Math.round(th * s.aspectRatio()));
            }
        }
        if (s.cropMode() == Step.CropMode.EXTRACT || s.cropMode() == Step.CropMode.PAD_EXTRACT) {
            int ew = tw == null ? w : tw;
            int eh = th == null ? h : th;
            check(ew, eh);
            int[] origin = origin(s, w, h, ew, eh, customCoordinates);
            int cx = Math.max(0, origin[0]);
            int cy = Math.max(0, origin[1]);
            int cw = Math.min(ew, w - cx);
            int ch = Math.min(eh, h - cy);
            if (cw <= 0 || ch <= 0) {
                throw new ApiException(ErrorCode.TRANSFORMATION_INVALID, "The extracted area lies outside the image.");
            }
            if (cw != w || ch != h) {
                ops.add(new Op.Crop(cx, cy, cw, ch));
            }
            if (s.cropMode() == Step.CropMode.PAD_EXTRACT && (cw < ew || ch < eh)) {
                ops.add(new Op.Pad(ew, eh, (ew - cw) / 2, (eh - ch) / 2, bg));
                return new int[] {ew, eh};
            }
            return new int[] {cw, ch};
        }
        if (tw == null && th == null) {
            // A crop mode such as cm-pad_resize with neither w nor h: no box to fit, so nothing changes (as c- alone).
            return new int[] {w, h};
        }
        if (tw == null || th == null) {
            // One side given: keep the aspect ratio.
            int nw = tw != null ? tw : Math.max(1, (int) Math.round((double) th * w / h));
            int nh = th != null ? th : Math.max(1, (int) Math.round((double) tw * h / w));
            check(nw, nh);
            ops.add(new Op.Resize(nw, nh));
            return new int[] {nw, nh};
        }
        check(tw, th);
        double cover = Math.max((double) tw / w, (double) th / h);
        double fit = Math.min((double) tw / w, (double) th / h);
        if (s.cropMode() == Step.CropMode.PAD_RESIZE) {
            int rw = Math.max(1, (int) Math.round(w * fit));
            int rh = Math.max(1, (int) Math.round(h * fit));
            ops.add(new Op.Resize(rw, rh));
            int[] at = padPosition(s.focus(), tw, th, rw, rh);
            ops.add(new Op.Pad(tw, th, at[0], at[1], bg));
            return new int[] {tw, th};
        }
        Step.Crop crop = s.crop() == null ? Step.Crop.MAINTAIN_RATIO : s.crop();
        switch (crop) {
            case FORCE -> {
                ops.add(new Op.Resize(tw, th));
                return new int[] {tw, th};
            }
            case AT_MAX, AT_MAX_ENLARGE -> {
                double scale = crop == Step.Crop.AT_MAX ? Math.min(1, fit) : fit;
                int rw = Math.max(1, (int) Math.round(w * scale));
                int rh = Math.max(1, (int) Math.round(h * scale));
                if (rw != w || rh != h) {
                    ops.add(new Op.Resize(rw, rh));
                }
                return new int[] {rw, rh};
            }
            case AT_LEAST -> {
                int rw = Math.max(1, (int) Math.round(w * cover));
                int rh = Math.max(1, (int) Math.round(h * cover));
                check(rw, rh);
                ops.add(new Op.Resize(rw, rh));
                return new int[] {rw, rh};
            }
            default -> {
                // maintain_ratio: cover the box, then cut it out at the focus point.
                int rw = Math.max(tw, (int) Math.round(w * cover));
                int rh = Math.max(th, (int) Math.round(h * cover));
                check(rw, rh);
                ops.add(new Op.Resize(rw, rh));
                if (rw != tw || rh != th) {
                    double sx = (double) rw / w;
                    double sy = (double) rh / h;
                    int[] origin = focusOrigin(s.focus(), rw, rh, tw, th, customCoordinates, sx, sy);
                    ops.add(new Op.Crop(origin[0], origin[1], tw, th));
                }
                return new int[] {tw, th};
            }
        }
    }

    private static int px(double value, int source, double dpr) {
        double v = value < 1 ? value * source : value;
        return Math.max(1, (int) Math.round(v * dpr));
    }

    /** Top-left of an extraction: x/y, xc/yc, or the focus position. */
    private static int[] origin(Step s, int w, int h, int ew, int eh, String customCoordinates) {
        if (s.x() != null || s.y() != null) {
            return new int[] {s.x() == null ? 0 : s.x(), s.y() == null ? 0 : s.y()};
        }
        if (s.xCenter() != null || s.yCenter() != null) {
            int xc = s.xCenter() == null ? w / 2 : s.xCenter();
            int yc = s.yCenter() == null ? h / 2 : s.yCenter();
            return new int[] {xc - ew / 2, yc - eh / 2};
        }
        return focusOrigin(s.focus(), w, h, ew, eh, customCoordinates, 1, 1);
    }

    /** Where a box of bw × bh sits in an image of w × h for a focus. */
    private static int[] focusOrigin(Step.Focus focus, int w, int h, int bw, int bh, String customCoordinates, double sx, double sy) {
        Step.Focus f = focus == null || focus == Step.Focus.AUTO ? Step.Focus.CENTER : focus;
        int maxX = Math.max(0, w - bw);
        int maxY = Math.max(0, h - bh);
        if (f == Step.Focus.CUSTOM) {
            int[] c = coordinates(customCoordinates);
            if (c == null) {
                return new int[] {maxX / 2, maxY / 2};
            }
            int cx = (int) Math.round((c[0] + c[2] / 2.0) * sx) - bw / 2;
            int cy = (int) Math.round((c[1] + c[3] / 2.0) * sy) - bh / 2;
            return new int[] {clamp(cx, 0, maxX), clamp(cy, 0, maxY)};
        }
        int x = switch (f) {
            case LEFT, TOP_LEFT, BOTTOM_LEFT -> 0;
            case RIGHT, TOP_RIGHT, BOTTOM_RIGHT -> maxX;
            default -> maxX / 2;
        };
        int y = switch (f) {
            case TOP, TOP_LEFT, TOP_RIGHT -> 0;
            case BOTTOM, BOTTOM_LEFT, BOTTOM_RIGHT -> maxY;
            default -> maxY / 2;
        };
        return new int[] {x, y};
    }

    /** pad_resize puts the image against the side fo names (left, right, top, bottom), centred otherwise. */
    private static int[] padPosition(Step.Focus focus, int tw, int th, int rw, int rh) {
        int x = (tw - rw) / 2;
        int y = (th - rh) / 2;
        if (focus == Step.Focus.LEFT) {
            x = 0;
        } else if (focus == Step.Focus.RIGHT) {
            x = tw - rw;
        } else if (focus == Step.Focus.TOP) {
            y = 0;
        } else if (focus == Step.Focus.BOTTOM) {
            y = th - rh;
        }
        return new int[] {x, y};
    }

    private static int[] coordinates(String text) {
        if (text == null) {
            return null;
        }
        String[] p = text.split(",");
        if (p.length != 4) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    private static void check(int w, int h) {
        if (w > MAX_OUTPUT_SIDE || h > MAX_OUTPUT_SIDE) {
            throw new ApiException(ErrorCode.IMAGE_TOO_LARGE, "the output would be " + w + "×" + h + " px; at most "
                    + MAX_OUTPUT_SIDE + " px a side are produced.");
        }
    }
}
