#include "web/qr.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#define QUIET 4

char *pp_qr_svg(const char *payload, const char *title)
{
    QRcode *qr = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL)
        return NULL;
    int w = qr->width, size = w + 2 * QUIET;
    /* Each dark module is "M x yh1v1h-1z": at most 24 bytes. */
    size_t cap = (size_t)w * (size_t)w * 24 + 512 + strlen(title);
    char *svg = pp_xmalloc(cap);
    size_t n = (size_t)snprintf(svg, cap,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
                                " role=\"img\" shape-rendering=\"crispEdges\"><title>%s</title>"
                                "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                                "<path fill=\"#000\" d=\"",
                                size, size, title, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (qr->data[y * w + x] & 1)
                n += (size_t)snprintf(svg + n, cap - n, "M%d %dh1v1h-1z", x + QUIET, y + QUIET);
    snprintf(svg + n, cap - n, "\"/></svg>");
    QRcode_free(qr);
    return svg;
}
