/*
 * The resize reference for bench/run.sh: libvips's own in-process time for the thumbnail Upfront renders on a
 * first hit, without a CLI's start-up. Reads one JPEG quality per line on stdin; for each, opens FILE, makes a
 * WIDTHxHEIGHT thumbnail with vips_thumbnail (shrink-on-load, as vipsthumbnail does), encodes it as JPEG at that
 * quality into memory and prints the milliseconds taken, one line each. The operation cache is off, so every line
 * decodes the file again as a cache miss in Upfront does.
 *
 *   cc -O2 -o vips_thumbnail_time vips_thumbnail_time.c $(pkg-config --cflags --libs vips)
 *   echo 80 | ./vips_thumbnail_time photo.jpg 400 300
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <vips/vips.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s FILE WIDTH HEIGHT < qualities\n", argv[0]);
        return 2;
    }
    if (VIPS_INIT(argv[0])) {
        vips_error_exit(NULL);
    }
    vips_cache_set_max(0);
    int width = atoi(argv[2]), height = atoi(argv[3]), quality;
    while (scanf("%d", &quality) == 1) {
        double start = now_ms();
        VipsImage *thumb;
        void *buf;
        size_t len;
        if (vips_thumbnail(argv[1], &thumb, width, "height", height, NULL)) {
            vips_error_exit(NULL);
        }
        if (vips_jpegsave_buffer(thumb, &buf, &len, "Q", quality, NULL)) {
            vips_error_exit(NULL);
        }
        double took = now_ms() - start;
        g_object_unref(thumb);
        g_free(buf);
        printf("%.3f\n", took);
        fflush(stdout);
    }
    vips_shutdown();
    return 0;
}
